import { startFakeOpenAi } from "../helpers/fake-openai";

// Started by playwright.config.ts (tsx) for translation.spec.ts: the fake OpenAI endpoint on
// loopback that the translation server's SDK talks to.

const port = Number(process.argv[2]);
void startFakeOpenAi(port).then((fake) => {
  console.log(`fake OpenAI at ${fake.baseURL}`);
});
