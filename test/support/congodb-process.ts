import { ChildProcess, spawn } from 'node:child_process';

/** A CongoDB server in a child process: a database that a test can really take down. */
export async function startCongoProcess(): Promise<{ uri: string; kill(): Promise<void> }> {
  const script = `
    const { CongoServer } = require('@push.rocks/smartmongo/dist_ts/congodb/index.js');
    const net = require('node:net');
    const probe = net.createServer().listen(0, '127.0.0.1', async () => {
      const port = probe.address().port;
      probe.close();
      const server = new CongoServer({ host: '127.0.0.1', port });
      await server.start();
      process.stdout.write(server.getConnectionUri() + '\\n');
    });`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`CongoDB process exited with ${code}`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    uri,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
