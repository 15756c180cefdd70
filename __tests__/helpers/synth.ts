import { Chart, Testing } from 'cdk8s';
import { DifyPlatform, DifyPlatformProps } from '../../lib';

/** A synthesized Kubernetes object, as it lands in dist/. */
export type Manifest = {
  apiVersion: string; kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};

export function synthPlatform(props: DifyPlatformProps = {}): Manifest[] {
  return Testing.synth(new DifyPlatform(Testing.app(), 'test', props)) as Manifest[];
}

/** A bare chart for testing one construct, with the objects it synthesizes. */
export function testChart(): Chart {
  return new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
}

export function objectsOf(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

export function clustersOf(objects: Manifest[]): Manifest[] {
  return objects.filter((object) => object.kind === 'Cluster');
}

export function onlyCluster(chart: Chart): Manifest {
  const clusters = clustersOf(objectsOf(chart));
  expect(clusters).toHaveLength(1);
  return clusters[0];
}
