/**
 * `npm run demo`: the local runtime with a fake Greenhouse and a fake Workday connected (demo/story.ts says
 * what it shows). The fakes are the test fakes of test/fakes/, started in this process: demo/ is the one
 * entry point allowed to depend on test code (test/unit/architecture/import-rules.test.ts).
 */
import { startDemoStage } from './stage.js';
import { runStory } from './story.js';

const stage = await startDemoStage(Number(process.env.PORT ?? 3100));
try {
  await runStory(stage);
} finally {
  await stage.stop();
}
