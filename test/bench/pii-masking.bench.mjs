#!/usr/bin/env node
// Benchmark of the personal-data unit (not part of npm test): MB/s of `redact` on 4 KB prompts of realistic mixed
// content (English and Chinese prose, code, JSON logs, an occasional e-mail, phone, resident ID, card, IBAN, IP or
// API key), every detector on, target >= 50 MB/s (UTF-8 bytes of input per second, one core).
// Needs the build: `npm run build -w server` (npm run bench does). Run: node test/bench/pii-masking.bench.mjs
import { requireBuilt } from './support.mjs';

const { redact, PII_DETECTORS } = requireBuilt('modules/policies/pii/index.js');

const TARGET_MEGABYTES_PER_SECOND = 50;
const PROMPT_BYTES = 4096;
const PROMPTS = 256;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

// A fixed-seed generator, so every run measures the same prompts.
let seed = 0x2f6b3a1d;
function random() {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = (items) => items[Math.floor(random() * items.length)];

const prose = [
  'Please summarise the attached claim and list the open questions for the adjuster. ',
  'The customer says the parcel arrived damaged and asks for a refund within 14 days. ',
  'Rewrite the following paragraph in a friendlier tone, keeping every figure unchanged. ',
  'Our Q3 revenue grew 12.5% to 48.2 million, driven by the enterprise tier (see table 3). ',
  'Translate into German: the meeting moved to 2026-01-31 10:30 in room 4.12. ',
  '请总结以下理赔材料，并列出需要理赔员确认的问题。',
  '客户反映包裹在运输途中损坏，要求在十四天内退款。',
  '请将下面这段话改写得更友好一些，所有数字保持不变。',
  '会议改到2026年1月31日上午10点30分，地点在四楼会议室。',
];
const code = [
  'function total(items) {\n  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);\n}\n',
  'SELECT team, sum(cost_nano_usd) FROM requests WHERE time >= {from:DateTime64} GROUP BY team;\n',
  'const client = new OpenAI({ baseURL: "http://gateway:4000/v1" });\nawait client.chat.completions.create({ model });\n',
  '{"level":"info","time":"2026-01-31T16:30:00Z","msg":"request done","latencyMs":231,"status":200}\n',
  'for i in range(10):\n    print(f"step {i}: loss={loss:.4f}")\n',
];
const personal = [
  () => ` contact ${pick(['alice', 'bob.smith', 'zhang.san', 'li_si'])}@${pick(['example.com', 'corp.cn', 'mail.example.co.uk'])} `,
  () => pick([' 手机 13800138000，', ' call +86 138 0013 8000 ', ' tel (415) 555-2671 ', ' +44 20 7946 0958 ']),
  () => pick([' 身份证号 11010519491231002X ', ' ID 440306199003074513 ']),
  () => pick([' card 4111 1111 1111 1111 ', ' 卡号 6222 0212 3456 7890 128 ']),
  () => ' IBAN DE89 3704 0044 0532 0130 00 ',
  () => pick([' from 10.0.12.7 ', ' client 2001:db8::8a2e:370:7334 ']),
  () => ' OPENAI_API_KEY=sk-proj-TESTabc123def456ghi789jkl012mno345 ',
  () => ' SSN 123-45-6789 ',
];

function prompt() {
  let text = '';
  while (Buffer.byteLength(text) < PROMPT_BYTES) {
    const roll = random();
    if (roll < 0.55) text += pick(prose);
    else if (roll < 0.9) text += pick(code);
    else text += pick(personal)();
  }
  // Trim to 4096 bytes on a character boundary.
  while (Buffer.byteLength(text) > PROMPT_BYTES) text = text.slice(0, -1);
  return text;
}

const prompts = Array.from({ length: PROMPTS }, prompt);
const totalBytes = prompts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
const totalCharacters = prompts.reduce((sum, text) => sum + text.length, 0);

function measure(actions, options) {
  let findings = 0;
  for (let round = 0; round < 20; round += 1) for (const text of prompts) redact(text, actions, options);
  let bytes = 0;
  let characters = 0;
  let rounds = 0;
  const samples = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(SECONDS * 1e9);
  while (process.hrtime.bigint() < deadline) {
    const roundStarted = process.hrtime.bigint();
    for (const text of prompts) findings += redact(text, actions, options).findings.length;
    samples.push(Number(process.hrtime.bigint() - roundStarted) / 1e6 / PROMPTS);
    bytes += totalBytes;
    characters += totalCharacters;
    rounds += 1;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort((a, b) => a - b);
  return {
    megabytesPerSecond: bytes / 1e6 / seconds,
    megaCharactersPerSecond: characters / 1e6 / seconds,
    perPromptMicroseconds: samples[Math.floor(samples.length / 2)] * 1000,
    findingsPerPrompt: findings / (rounds * PROMPTS),
  };
}

/** How fast this machine is right now: a plain loop over the same prompts (read every UTF-16 unit once). */
function referenceLoopMegabytesPerSecond() {
  let sink = 0;
  const started = process.hrtime.bigint();
  let bytes = 0;
  while (process.hrtime.bigint() - started < 1_000_000_000n) {
    for (const text of prompts) for (let index = 0; index < text.length; index += 1) sink += text.charCodeAt(index) & 1;
    bytes += totalBytes;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return sink < 0 ? 0 : bytes / 1e6 / seconds;
}

const everyDetectorMasked = Object.fromEntries(PII_DETECTORS.map((detector) => [detector, 'mask']));
const policyMix = { email: 'mask', phone: 'mask', cn_resident_id: 'block', bank_card: 'hash', us_ssn: 'mask', iban: 'hash', ip_address: 'allow', secret: 'mask' };

console.log(`PII masking benchmark (node ${process.version})`);
console.log(`  machine reference: a plain charCodeAt loop over the prompts runs at ${referenceLoopMegabytesPerSecond().toFixed(0)} MB/s`);
console.log(`  ${PROMPTS} prompts of ${PROMPT_BYTES} UTF-8 bytes (${(totalCharacters / PROMPTS).toFixed(0)} UTF-16 units on average), ${SECONDS} s per case`);
for (const [name, actions] of [['every detector on mask', everyDetectorMasked], ['policy mix (mask/hash/block/allow)', policyMix]]) {
  const result = measure(actions, { hashKey: 'bench-hash-key' });
  const verdict = result.megabytesPerSecond >= TARGET_MEGABYTES_PER_SECOND ? 'OK' : 'UNDER TARGET';
  console.log(
    `  ${name}: ${result.megabytesPerSecond.toFixed(1)} MB/s (${result.megaCharactersPerSecond.toFixed(1)} M chars/s), ` +
      `median ${result.perPromptMicroseconds.toFixed(1)} µs per prompt, ${result.findingsPerPrompt.toFixed(1)} findings per prompt ` +
      `(target >= ${TARGET_MEGABYTES_PER_SECOND} MB/s) -> ${verdict}`,
  );
}
