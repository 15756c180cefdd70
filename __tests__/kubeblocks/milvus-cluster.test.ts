/**
 * `vectorStore: milvus`: Milvus standalone as the milvus addon of KubeBlocks 1.0 defines it (etcd, MinIO and Milvus
 * in one Cluster), wired to Dify by the same contract, refused where it cannot work.
 */
import { DifyPlatform, DifyPlatformProps, guardRailFindings, platformState } from '../../lib';
import { opsRequest } from '../../lib/operations/ops-request';
import { configProblems } from '../helpers/configs';
import { byKindAndName, envOf, mainContainer } from '../helpers/dify';
import { synthPlatform, testChart } from '../helpers/synth';

const MILVUS: DifyPlatformProps = { vectorStore: 'milvus' };

describe('a Milvus platform', () => {
  const objects = synthPlatform(MILVUS);

  test('runs the addon\'s standalone topology: Milvus at its version, etcd and MinIO at their definitions\' own, and no Qdrant', () => {
    expect(objects.filter((object) => object.kind === 'Cluster').map((object) => object.metadata.name)).toEqual(['postgresql', 'redis', 'milvus']);
    const milvus = byKindAndName(objects, 'Cluster', 'milvus').spec;
    expect({ clusterDef: milvus.clusterDef, topology: milvus.topology }).toEqual({ clusterDef: 'milvus', topology: 'standalone' });
    expect(milvus.componentSpecs.map((component: any) => [component.name, component.replicas, component.serviceVersion]))
      .toEqual([['milvus', 1, '2.5.13'], ['etcd', 1, undefined], ['minio', 1, undefined]]);
  });

  test('Dify reaches it through its headless Service, with a password from the app Secret and no Qdrant variable', () => {
    const platform = new DifyPlatform(testChart(), 'p', MILVUS);
    expect(platform.milvus?.uri).toBe('http://milvus-milvus-headless.dify.svc:19530');
    for (const name of ['dify-api', 'dify-worker']) {
      const env = envOf(mainContainer(byKindAndName(objects, 'Deployment', name)));
      expect(env).toMatchObject({ VECTOR_STORE: 'milvus', MILVUS_URI: 'http://milvus-milvus-headless.dify.svc:19530', MILVUS_USER: 'dify',
        MILVUS_PASSWORD: 'secret:dify-app-secrets/MILVUS_PASSWORD' });
      expect(Object.keys(env).filter((variable) => variable.startsWith('QDRANT_'))).toEqual([]);
    }
  });

  test('only Dify\'s backend processes, its own pods and the operator reach it', () => {
    const policy = byKindAndName(objects, 'NetworkPolicy', 'dify-milvus-access');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'milvus', 'app.kubernetes.io/managed-by': 'kubeblocks' });
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 19530 }]);
  });

  test('npm run ops has nothing to switch over and keeps it at one replica', () => {
    expect(() => opsRequest(MILVUS, 'switchover', 'milvus', { candidate: 'milvus-milvus-0' })).toThrow('it has no primary to switch');
    expect(() => opsRequest(MILVUS, 'hscale', 'milvus', { replicas: 2 })).toThrow('a whole number from 1 to 1');
  });

  test('moving a running platform between vector stores is a guard rail', () => {
    const findings = guardRailFindings(platformState(synthPlatform({})), platformState(objects), new Set(['clusterReplaced']));
    expect(findings.map((finding) => `${finding.setting}: ${finding.value}`)).toEqual(['vectorStore: milvus']);
  });
});

describe('what Milvus refuses', () => {
  test.each<[string, unknown, string]>([
    ['KubeBlocks 0.9', { vectorStore: 'milvus', kubeblocks: { releaseLine: '0.9' }, dify: { version: '1.13.3' } },
      'env.yaml: vectorStore: "milvus" is not allowed: Milvus is offered on KubeBlocks 1.0 only (its standalone topology); on 0.9 use qdrant or pgvector'],
    ['Dify 0.6.11', { vectorStore: 'milvus', dify: { version: '0.6.11' } },
      'env.yaml: vectorStore: "milvus" is not allowed: Dify 0.6.11\'s pymilvus 2.3.1 is older than the Milvus 2.5 the addon runs'],
    ['more than one replica', { vectorStore: 'milvus', milvus: { replicas: 3 } },
      'env.yaml: milvus.replicas: 3 is not allowed: must be 1: Milvus standalone runs one pod'],
    ['a version the addon does not offer', { vectorStore: 'milvus', milvus: { version: '2.3.2' } },
      'env.yaml: milvus.version: "2.3.2" is not allowed: KubeBlocks 1.0 offers milvus 2.5.13'],
    ['a qdrant section beside it', { vectorStore: 'milvus', qdrant: { replicas: 3 } },
      'env.yaml: qdrant: {"replicas":3} is not allowed: configures a Qdrant cluster, and with vectorStore: milvus there is none: remove it'],
    ['a milvus section without it', { milvus: { storage: { size: '50Gi' } } },
      'env.yaml: milvus: {"storage":{"size":"50Gi"}} is not allowed: configures a Milvus cluster, and with vectorStore: qdrant there is none: remove it'],
    ['Weaviate', { vectorStore: 'weaviate' }, 'env.yaml: vectorStore: "weaviate" is not allowed: must be one of qdrant, pgvector, milvus; weaviate is not offered yet'],
    // Its backup is the milvus volume only; etcd and MinIO hold the collections under the cluster's name.
    ['a restore from a backup', { vectorStore: 'milvus', milvus: { name: 'milvus-restored', restoreFrom: { backup: 'milvus-nightly' } } },
      'env.yaml: milvus.restoreFrom: {"backup":"milvus-nightly"} is not allowed: a Milvus backup holds only the milvus volume, while its collections\' '
        + 'metadata (etcd) and segments (MinIO) live under the cluster\'s name, which a restore must change: the restored Milvus would hold no collections. '
        + 'Keep the running cluster, or start an empty one (another milvus.name) and rebuild the vectors from Dify\'s knowledge bases: '
        + 'kubectl exec deploy/dify-api -- flask vdb-migrate'],
  ])('%s', (_case, input, line) => {
    const lines = configProblems(input);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  test('npm run ops restores no Milvus backup, in one line that says why and what to do instead, before asking which backup', () => {
    for (const options of [{ backup: 'milvus-nightly' }, {}]) {
      expect(() => opsRequest(MILVUS, 'restore', 'milvus', options))
        .toThrow(/^operation: "restore" is not allowed for milvus: a Milvus backup holds only the milvus volume, .* flask vdb-migrate$/);
    }
    expect(opsRequest(MILVUS, 'restore', 'redis', { backup: 'redis-nightly' }).object).toBeDefined();
  });
});
