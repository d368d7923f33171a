// autocannon ships no types; src/autocannon-run.ts states what the bench uses.
declare module 'autocannon' {
  const autocannon: unknown;
  export default autocannon;
}
