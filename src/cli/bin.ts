#!/usr/bin/env -S node --max-semi-space-size=8
// The installed `claude-gateway` command. The flag caps V8's young generation at 2 × 8 MB: Node 24
// grows it to 128 MB under load and keeps it resident (bench/README.md, memory).
// The Node.js version is checked before anything else loads: on an older Node a dependency fails
// while loading, with a stack trace instead of a sentence.
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const { runAsCommand } = await import('./main.js');
runAsCommand();
