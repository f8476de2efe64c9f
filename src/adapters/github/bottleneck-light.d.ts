/**
 * `bottleneck/light.js` (the build `@octokit/plugin-throttling` uses, without the Redis
 * clustering code) has the same API as the package's main entry, whose types it lacks.
 */
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
