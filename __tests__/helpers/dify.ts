import { Manifest } from './synth';

export function byKindAndName(objects: Manifest[], kind: string, name: string | RegExp): Manifest {
  const found = objects.find((object) => object.kind === kind && (typeof name === 'string' ? object.metadata.name === name : name.test(object.metadata.name)));
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** The pod spec of a Deployment, StatefulSet or Job. */
export function podSpec(object: Manifest): any {
  return object.spec.template.spec;
}

export function mainContainer(object: Manifest): any {
  return podSpec(object).containers[0];
}

/** The container's env as name -> value, or name -> `secret:<name>/<key>` for a secretKeyRef. */
export function envOf(container: any): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((variable: any) => [variable.name,
    variable.valueFrom?.secretKeyRef ? `secret:${variable.valueFrom.secretKeyRef.name}/${variable.valueFrom.secretKeyRef.key}` : variable.value]));
}

export function allPodSpecs(objects: Manifest[]): [string, any][] {
  return objects.filter((object) => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind))
    .map((object) => [`${object.kind}/${object.metadata.name}`, podSpec(object)]);
}
