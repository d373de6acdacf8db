// seedrandom ships `lib/xor4096.js` without its own type declarations, and @types/seedrandom only
// describes the package's main entry. This declares the one file the engine imports.
declare module 'seedrandom/lib/xor4096.js' {
  import type seedrandom from 'seedrandom';

  function xor4096(seed: string): seedrandom.PRNG;
  export default xor4096;
}
