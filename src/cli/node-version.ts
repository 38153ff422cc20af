/** The oldest Node.js this package runs on (package.json `engines`). */
export const OLDEST_NODE = '22.19.0';

/**
 * What is wrong with running on this Node.js version, or undefined when it is recent enough.
 *
 * @example
 * nodeVersionProblem('20.20.2') // 'claude-gateway needs Node.js 22.19.0 or later …'
 * nodeVersionProblem('24.21.0') // undefined
 */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [needMajor = 0, needMinor = 0, needPatch = 0] = OLDEST_NODE.split('.').map(Number);
  const recentEnough =
    major !== needMajor ? major > needMajor : minor !== needMinor ? minor > needMinor : patch >= needPatch;
  if (recentEnough) return undefined;
  return `claude-gateway needs Node.js ${OLDEST_NODE} or later (24 LTS recommended); this is Node.js ${version.replace(/^v/, '')}. Install a newer Node.js (e.g. \`npm i -g node@24\`, nvm or your package manager) and run it again.`;
}
