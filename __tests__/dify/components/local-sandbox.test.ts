import { synthPlatform } from '../../helpers/synth';

describe("Agent v2's local sandbox", () => {
  const objects = synthPlatform({ dify: { version: '1.16.1', agent: { enabled: true } } });
  const pod = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-local-sandbox')!.spec.template.spec;

  test('keeps its scratch volume on /home without hiding the image user\'s home', () => {
    const [sandbox] = pod.containers;
    const seed = pod.initContainers.find((container: { name: string }) => container.name === 'seed-home');
    const stateMount = sandbox.volumeMounts.find((mount: { mountPath: string }) => mount.mountPath === '/home');
    const seedMount = seed.volumeMounts.find((mount: { name: string }) => mount.name === stateMount.name);

    expect(pod.volumes.find((volume: { name: string }) => volume.name === stateMount.name).emptyDir).toBeDefined();
    // The same image, so the same home and the same user: /home/dify lands on the volume owned by dify.
    expect(seed.image).toBe(sandbox.image);
    expect(seed.command).toEqual(['cp', '-a', '/home/dify', `${seedMount.mountPath}/`]);
    for (const context of [pod.securityContext, seed.securityContext, sandbox.securityContext]) {
      expect(context?.runAsUser).toBeUndefined();
    }
    expect(seed.securityContext).toEqual(sandbox.securityContext);
  });
});
