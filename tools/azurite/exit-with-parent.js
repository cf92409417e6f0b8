// Preloaded into Azurite (node --require) by AzuriteProcess: ends the emulator when the process that started it is
// gone, even when that process was killed (SIGKILL) and so could not stop it. Two signs, either is enough:
// - end of standard input: the starter holds the only write end of this pipe for as long as it lives;
// - a new parent pid: the starter is gone and this process was adopted (by init or a subreaper).
'use strict';

const starter = process.ppid;
const exit = () => process.exit(0);

process.stdin.on('end', exit);
process.stdin.on('close', exit);
process.stdin.on('error', exit);
process.stdin.resume();

setInterval(() => {
  if (process.ppid !== starter) {
    exit();
  }
}, 500).unref();
