/** The machine a run was on, for the README: cores, memory, CPU model, Node, load. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  /** Load averages over 1, 5 and 15 minutes when the run started. */
  load: number[];
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  return {
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    cpuModel: cpuModel(),
    node: process.version,
    load: os.loadavg(),
  };
}

/** One line: `2 cores (nproc), 23.5 GiB, AMD EPYC, Node v20.20.2, load 2.1 / 2.5 / 2.7`. */
export function machineLine(machine: Machine): string {
  return (
    `${machine.cores} cores (nproc), ${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.cpuModel}, ` +
    `Node ${machine.node}, load average ${machine.load.map((value) => value.toFixed(2)).join(' / ')} at start`
  );
}
