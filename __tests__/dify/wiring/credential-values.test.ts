/**
 * A credential is refused in plain text by what it is: its name, the Dify settings that are credentials under names
 * that do not say so, and values shaped like one under any name; the same rule for a user's env, a chart's env and
 * the values importers. Settings that are about a credential (a retention, a switch) pass.
 */
import { credentialShapeOf, plaintextCredential } from '../../../lib/dify/wiring/credential-values';
import { importValues } from '../../../lib/values-import/import-values';
import { importBorisValues } from '../../../lib/values-import/import-boris-values';
import { configProblems } from '../../helpers/configs';

const serviceAccount = Buffer.from(JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' })).toString('base64');

describe('what counts as a credential', () => {
  test.each([
    ['MAIL_PASS', 'hunter2'],
    ['SMTP_PASSPHRASE', 'correct horse battery'],
    ['AUTHORIZATION', 'Bearer abcdefghijklmnop'],
    ['SMTP_PASSWORD', 12345678],
    ['GOOGLE_STORAGE_SERVICE_ACCOUNT_JSON_BASE64', serviceAccount],
    ['ORACLE_DSN', 'dify/secret@db.example.org:1521/dify'],
    ['MY_SETTING', 'sk-proj-0123456789abcdefghijklmn'],
    ['NOTES', 'ghp_0123456789abcdefghijABCDEFGHIJ'],
    ['SOMETHING', 'AKIAABCDEFGHIJKLMNOP'],
    ['EXTRA_HEADER_VALUE', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['TOKEN_FOR_X', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc'],
  ])('%s', (name, value) => {
    expect(plaintextCredential(name, value)).toEqual(expect.stringMatching(new RegExp(`^${name} (looks like|holds)`)));
  });

  test.each([
    ['ENABLE_OAUTH_BEARER', 'true'], ['OAUTH_ACCESS_TOKEN_RETENTION_DAYS', '30'], ['ENABLE_CLEAN_OAUTH_ACCESS_TOKENS_TASK', 'true'],
    ['LOG_LEVEL', 'DEBUG'], ['UPLOAD_FILE_SIZE_LIMIT', '50'], ['API_KEY_HEADER', 'X-Api-Key'], ['CONSOLE_WEB_URL', 'https://ai.example.org'],
  ])('%s=%s is no credential', (name, value) => {
    expect(plaintextCredential(name, value)).toBeUndefined();
  });

  test('a private key or a service account\'s JSON is recognised in the value alone', () => {
    expect(credentialShapeOf('-----BEGIN RSA PRIVATE KEY-----\nMIIE...')).toBe('a private key');
    expect(credentialShapeOf('{"type": "service_account", "private_key": "x"}')).toBe('a service account\'s key (JSON)');
  });
});

describe('the same rule everywhere', () => {
  test('synth refuses such a value in dify.backendEnv, hidden', () => {
    const lines = configProblems({ dify: { backendEnv: [
      { name: 'MAIL_PASS', value: 'hunter2' },
      { name: 'GOOGLE_STORAGE_SERVICE_ACCOUNT_JSON_BASE64', value: serviceAccount },
      { name: 'MY_SETTING', value: 'sk-proj-0123456789abcdefghijklmn' },
      { name: 'ENABLE_OAUTH_BEARER', value: 'true' },
    ] } });
    expect(lines).toEqual([
      'env.yaml: dify.backendEnv[0].value: "(hidden)" is not allowed: MAIL_PASS looks like a credential: give it with valueFrom.secretKeyRef, never as a value in git',
      'env.yaml: dify.backendEnv[1].value: "(hidden)" is not allowed: GOOGLE_STORAGE_SERVICE_ACCOUNT_JSON_BASE64 holds a credential: give it with valueFrom.secretKeyRef, never as a value in git',
      'env.yaml: dify.backendEnv[2].value: "(hidden)" is not allowed: MY_SETTING holds what looks like an API key: give it with valueFrom.secretKeyRef, never as a value in git',
    ]);
    expect(lines.join('\n')).not.toMatch(/hunter2|sk-proj/);
  });

  test('the values importer carries none of them: numbers, URLs with a password, and shapes included', () => {
    const { config, notes } = importValues({ api: { envs: [
      { name: 'SMTP_PASSWORD', value: 12345678 },
      { name: 'HTTP_PROXY', value: 'http://bot:Pr0xy@proxy.example.org:3128' },
      { name: 'MY_SETTING', value: 'sk-proj-0123456789abcdefghijklmn' },
      { name: 'LOG_LEVEL', value: 'DEBUG' },
    ] } });
    const written = JSON.stringify(config);
    expect(written).not.toMatch(/12345678|Pr0xy|sk-proj/);
    expect(written).toContain('LOG_LEVEL');
    expect(notes.filter((note) => note.includes('a plaintext secret'))).toHaveLength(3);
  });
});

describe('BorisPolonsky\'s external locations', () => {
  test('an endpoint or address with a credential in it is not carried, and named', () => {
    const { config, notes } = importBorisValues({
      externalS3: { enabled: true, endpoint: 'https://AKIA:s3cr3tKey@s3.example.org', bucketName: { api: 'dify' } },
      externalPostgres: { enabled: true, address: 'dify:pgpass@db.example.org' },
      externalQdrant: { enabled: true, endpoint: 'https://q.example.org:6333/?api-key=qk' },
    });
    expect(JSON.stringify(config)).not.toMatch(/s3cr3tKey|pgpass|qk/);
    for (const path of ['externalS3.endpoint', 'externalPostgres.address', 'externalQdrant.endpoint']) {
      expect(notes).toContainEqual(expect.stringMatching(new RegExp(`^${path.replace('.', '\\.')}: .*a plaintext secret: it holds a credential`)));
    }
  });
});
