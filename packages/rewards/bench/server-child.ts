/**
 * The reward server of the rewards bench in its own process (so the load clients do not share its
 * event loop): prints its URL on stdout, then serves until killed. Argument: max response length.
 */
import { createJudgeLrmReward, createRewardServer, silentLogger } from '../src/index.ts';

const server = await createRewardServer({
  reward: createJudgeLrmReward(),
  logger: silentLogger,
  maxResponseLength: Number(process.argv[2]),
});
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
