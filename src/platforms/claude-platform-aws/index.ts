export {
  CLAUDE_PLATFORM_AWS_API_KEY_VARIABLE,
  CLAUDE_PLATFORM_AWS_WORKSPACE_VARIABLE,
  ClaudePlatformAwsAdapter,
  type ClaudePlatformAwsAdapterOptions,
} from './claude-platform-aws-adapter.js';
