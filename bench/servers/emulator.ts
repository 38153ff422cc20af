/**
 * The emulator in its own process: every system under test talks to this
 * one upstream. Reports its port and credentials to the bench.
 */
import { startEmulator } from '../../src/emulator/server.js';
import { answerParent, reportFailure, reportReady } from './child-ipc.js';

try {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  answerParent(() => emulator.close());
  reportReady(emulator.port, { credentials: { ...emulator.auth.credentials } });
} catch (error) {
  reportFailure(error);
}
