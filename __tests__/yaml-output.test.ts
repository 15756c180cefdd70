/**
 * dist/ is read by kubectl, Argo CD and Flux, whose YAML parsers follow YAML 1.1: an unquoted `yes`, `on`, `0x1F`
 * or `1:20` would become a boolean or a number there. Every file must read back, under YAML 1.1 rules, as exactly
 * the objects the platform synthesized.
 */
import { parseAllDocuments } from 'yaml';
import { platformYaml } from '../lib/pipeline';
import { PLATFORMS } from './helpers/platforms';
import { synthPlatform } from './helpers/synth';

/** Values that YAML 1.1 reads as something other than a string unless they are quoted. */
const AMBIGUOUS = ['yes', 'No', 'on', 'OFF', 'y', '~', 'null', '0x1F', '0o17', '017', '1:20', '1_000', '.5', '1e3', '.inf', '2001-12-14', '<<', '=',
  '-', ': x', '# x', 'x #y', ' padded ', 'multi\nline\n', '"quoted"', "it's", '@at', '`tick', '!tag', '&anchor', '*alias', '%percent', '{a}', '[a]'];

function readBack(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS();
  });
}

describe('the YAML written to dist/', () => {
  test.each(PLATFORMS)('%s reads back as the synthesized objects', (_name, props) => {
    expect(readBack(platformYaml('test', props))).toEqual(synthPlatform(props));
  });

  test('strings YAML 1.1 would read as something else stay strings', () => {
    const props = { dify: { backendEnv: AMBIGUOUS.map((value, index) => ({ name: `EXTRA_${index}`, value })) } };
    const [objects, synthesized] = [readBack(platformYaml('test', props)), synthPlatform(props)];

    expect(objects).toEqual(synthesized);
    const api = synthesized.find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api')!;
    expect(api.spec.template.spec.containers[0].env.filter((variable: { name: string }) => variable.name.startsWith('EXTRA_'))
      .map((variable: { value: string }) => variable.value)).toEqual(AMBIGUOUS);
  });
});
