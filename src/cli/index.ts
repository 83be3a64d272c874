// Entry of the bundled CLI: runs the command and exits with tshark's exit codes.
import { run } from './main';

process.exitCode = run(process.argv.slice(2));
