// Waits until a MongoDB-wire server answers a ping, for the *-start.sh scripts.
// Usage: node scripts/wait-for-mongo.js <port> <pid> <start-ms> <timeout-s> <name>
// Exit 0 (stdout: ms since start-ms) on success, 2 when the process died, 1 on timeout.
const { MongoClient } = require('mongodb');

const [port, pid, startMs, timeoutS] = process.argv.slice(2, 6).map(Number);
const name = process.argv[6] || 'server';
const deadline = startMs + timeoutS * 1000;
const alive = () => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

(async () => {
  let last = 'no attempt';
  while (Date.now() < deadline) {
    if (!alive()) {
      console.error(`${name}: process ${pid} exited`);
      process.exit(2);
    }
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
      serverSelectionTimeoutMS: 1000,
      connectTimeoutMS: 1000,
      directConnection: true,
    });
    try {
      await client.db('admin').command({ ping: 1 });
      process.stdout.write(String(Date.now() - startMs));
      await client.close();
      process.exit(0);
    } catch (e) {
      last = e && e.message;
      await client.close().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  console.error(`${name}: no ping answer within ${timeoutS} s (last error: ${last})`);
  process.exit(1);
})();
