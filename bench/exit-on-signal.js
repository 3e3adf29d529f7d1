'use strict';
// Preloaded into the gateway when profiling: SIGUSR2 ends the process through process.exit(), the only way out
// after which `node --cpu-prof` writes its profile (a death by SIGTERM/SIGKILL writes nothing).
process.on('SIGUSR2', () => process.exit(0));
