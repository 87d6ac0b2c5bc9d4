/**
 * Runs once before the suite. It proves which Node executes the tests: the project brings its own
 * (the `node` package) because jsforce, middy and fauxqs need Node ≥ 22.19 and build machines ship 20.
 */
export default function setup(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 19)) {
    throw new Error(
      `tests need Node >= 22.19 but run on ${process.version} (${process.execPath}); run them through npm (npm test) so node_modules/.bin/node is used`,
    );
  }
  process.stdout.write(`node ${process.version} at ${process.execPath}\n`);
}
