import { synthPlatform } from '../../helpers/synth';

describe('the web component', () => {
  test.each(['0.6.11', '1.13.3', '1.16.1'])('listens on every address of its pod (Dify %s), so port-forward and the Service both reach it', (version) => {
    const web = synthPlatform({ dify: { version } }).find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-web')!;
    const container = web.spec.template.spec.containers[0];

    expect(container.env).toContainEqual({ name: 'HOSTNAME', value: '0.0.0.0' });
  });
});
