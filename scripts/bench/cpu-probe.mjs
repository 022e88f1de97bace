// Preloaded with `node --import` into the timed processes: on exit it prints the CPU time the
// process used (user + system, all its threads) on stderr. CPU time moves far less than wall time
// when other jobs share the machine.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`\nBENCH_CPU_MS ${(u.user + u.system) / 1000}\n`);
});
