/**
 * What the API server refuses that no schema says, checked on the synthesized objects before anything is published:
 * names longer than their kind takes, label values over 63 characters, annotations over 256 KiB in all
 * (k8s.io/apimachinery: validation.DNS1123LabelMaxLength, DNS1123SubdomainMaxLength, LabelValueMaxLength,
 * TotalAnnotationSizeLimitB). A platform that breaks one would be published and then refused by `kubectl apply`.
 */
import { ObjectLike } from '../guard-rails';

/** Kinds whose names are DNS labels (at most 63 characters); every other kind takes a DNS subdomain (253). */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
const MAX_LABEL_VALUE = 63;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

interface Metadata {
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The labels and annotations of an object's metadata, or of the pods it makes, against their limits. */
function metadataProblems(where: string, metadata: Metadata | undefined): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(metadata?.labels ?? {})) {
    if (String(value).length > MAX_LABEL_VALUE) problems.push(`${where}: label ${key} is ${String(value).length} characters; a label value takes at most ${MAX_LABEL_VALUE}`);
  }
  const bytes = Object.entries(metadata?.annotations ?? {}).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)), 0);
  if (bytes > MAX_ANNOTATIONS_BYTES) problems.push(`${where}: its annotations are ${bytes} bytes; Kubernetes takes at most ${MAX_ANNOTATIONS_BYTES} in all`);
  return problems;
}

/** `Kind name: what the API server would refuse`, one line each: the object's metadata and its pods' (templates). */
export function apiServerLimitProblems(objects: readonly ObjectLike[]): string[] {
  return objects.flatMap((object) => {
    const metadata = object.metadata as Metadata | undefined;
    const name = metadata?.name ?? '';
    const where = `${object.kind} ${name.length > 80 ? `${name.slice(0, 80)}...` : name}`;
    const maxName = LABEL_NAMED_KINDS.has(object.kind ?? '') ? 63 : 253;
    const pods = object.spec?.template?.metadata ?? object.spec?.jobTemplate?.spec?.template?.metadata;
    return [
      ...(name.length > maxName ? [`${where}: its name is ${name.length} characters; a ${object.kind} takes at most ${maxName}`] : []),
      ...metadataProblems(where, metadata),
      ...metadataProblems(`${where} (its pods)`, pods),
    ];
  });
}
