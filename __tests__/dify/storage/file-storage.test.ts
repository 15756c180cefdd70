import { envOf, byKindAndName, mainContainer } from '../../helpers/dify';
import { synthPlatform } from '../../helpers/synth';

describe('S3 storage', () => {
  test('with a Secret, the keys come from it and Dify does not use a cloud identity', () => {
    const api = envOf(mainContainer(byKindAndName(synthPlatform({ dify: { storage: { type: 's3', s3: {
      endpoint: 'https://s3.example.org', bucket: 'dify-files', credentialsSecret: 'dify-s3' } } } }), 'Deployment', 'dify-api')));

    expect(api).toMatchObject({ S3_USE_AWS_MANAGED_IAM: 'false', S3_ACCESS_KEY: 'secret:dify-s3/access-key', S3_SECRET_KEY: 'secret:dify-s3/secret-key' });
  });

  test('with useIamRole, Dify uses the pod\'s identity and no key reaches it', () => {
    const api = envOf(mainContainer(byKindAndName(synthPlatform({ dify: { storage: { type: 's3', s3: {
      endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'dify-files', region: 'eu-west-1', useIamRole: true } } } }), 'Deployment', 'dify-api')));

    expect(api.S3_USE_AWS_MANAGED_IAM).toBe('true');
    expect(Object.keys(api).filter((name) => /S3_(ACCESS|SECRET)_KEY/.test(name))).toEqual([]);
  });

  test.each([
    [{ useIamRole: true, credentialsSecret: 'dify-s3' }, 'dify.storage.s3.credentialsSecret: "dify-s3" is not allowed: must not be given with useIamRole'],
    [{}, 'dify.storage.s3.credentialsSecret: nothing is not allowed: is needed: the Secret with the access and secret key (or useIamRole: true)'],
  ])('credentials are a Secret or the pod\'s identity, exactly one (%j)', (credentials, expected) => {
    expect(() => synthPlatform({ dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'dify-files', ...credentials } } } }))
      .toThrow(expected);
  });
});
