export { ForgeError, retryAfterMs, type ForgeHttpOptions } from './http';
export { openPullRequest, type PullRequest, type PullRequestInput } from './pullRequest';
export { defaultApiBase, guessForge, parseRemoteUrl, type ForgeKind, type RemoteRepo } from './remote';
