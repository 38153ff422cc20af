export {
  type AwsAuthorizer,
  type AwsAuthorizerOptions,
  createAwsAuthorizer,
  toAwsCredentialSource,
} from './aws-authorizer.js';
export {
  type AwsConfigProfiles,
  awsConfigFilePath,
  parseAwsConfigFile,
  readAwsConfigProfile,
} from './aws-config-file.js';
export {
  type AwsCredentialSource,
  type AwsCredentialSourceOptions,
  createAwsCredentialSource,
} from './aws-credential-source.js';
export { type AwsCredentialProvider, type AwsCredentials, isAwsCredentials } from './aws-credentials.js';
export { type AwsCredentialOrigin, awsCredentialsError } from './aws-credentials-error.js';
export { awsEndpoint } from './aws-endpoint.js';
export {
  type AwsRegionSource,
  DEFAULT_AWS_REGION,
  type ResolveAwsRegionOptions,
  type ResolvedAwsRegion,
  resolveAwsRegion,
} from './aws-region.js';
export { type AwsSigningService, type AwsSignOptions, signAwsRequest } from './aws-sign.js';
export { type UpstreamSender, withTransport } from './aws-transport.js';
export {
  BEDROCK_API_KEY_VARIABLE,
  resolveBedrockApiKey,
  withBedrockApiKey,
  withMantleApiKey,
} from './bedrock-api-key.js';
