// Entry of the bundled CLI: runs the command and exits with tshark's exit codes.
import { run } from './main';
import { live } from './live';

const argv = process.argv.slice(2);
if (argv[0] === 'live') {
  // `wirelens live`: the local capture bridge (runs until stopped)
  process.exitCode = await live(argv.slice(1));
} else {
  process.exitCode = run(argv);
}
