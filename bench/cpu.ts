import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** CPU seconds of processes by pid (Linux /proc), to show how the load was shared between them. */
export class CpuMeter {
  private readonly ticksPerSecond = clockTicks();
  private start = new Map<string, number>();
  private startedAt = 0;

  constructor(private readonly pids: Record<string, number | undefined>) {}

  static available(): boolean {
    return existsSync('/proc/self/stat');
  }

  begin(): void {
    this.start = this.read();
    this.startedAt = performance.now();
  }

  /** Cores used by each process since begin(): CPU seconds over wall seconds. */
  end(): Record<string, number> {
    const wallS = (performance.now() - this.startedAt) / 1000;
    const now = this.read();
    const used = Object.fromEntries(
      [...now].map(([name, cpuS]) => [name, (cpuS - (this.start.get(name) ?? cpuS)) / wallS]),
    );
    const ours = Object.entries(used)
      .filter(([name]) => name !== 'whole machine')
      .reduce((sum, [, cores]) => sum + cores, 0);
    // Whatever else ran on the machine meanwhile (other jobs share it): the noise in these figures.
    return { ...used, 'other processes': Math.max(0, (used['whole machine'] ?? ours) - ours) };
  }

  private read(): Map<string, number> {
    const seconds = new Map<string, number>();
    seconds.set('whole machine', machineBusySeconds(this.ticksPerSecond));
    const self = process.cpuUsage();
    seconds.set('bench (autocannon)', (self.user + self.system) / 1e6);
    for (const [name, pid] of Object.entries(this.pids)) {
      if (pid === undefined) continue;
      try {
        seconds.set(name, processCpuSeconds(pid, this.ticksPerSecond));
      } catch {
        // The process is gone.
      }
    }
    return seconds;
  }
}

/** User and system CPU seconds a process has used since it started (/proc/<pid>/stat). */
export function processCpuSeconds(pid: number, ticksPerSecond = clockTicks()): number {
  return statCpuSeconds(`/proc/${pid}/stat`, ticksPerSecond);
}

/** CPU seconds of a process's main thread alone (a Node process: its event loop), without its other threads. */
export function mainThreadCpuSeconds(pid: number, ticksPerSecond = clockTicks()): number {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`, ticksPerSecond);
}

function statCpuSeconds(path: string, ticksPerSecond: number): number {
  // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Busy CPU seconds of all cores since boot (/proc/stat: everything but idle and iowait). */
function machineBusySeconds(ticksPerSecond: number): number {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const ticks = cpu.split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / ticksPerSecond;
}

function clockTicks(): number {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
