// The official TypeScript SDK (@anthropic-ai/sdk) against the emulator.
// Prints one line per check, like the Python scenarios: "ok NAME detail" or "FAIL NAME reason";
// exits 1 when any check failed. ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY come from the runner.

const MODEL = "claude-sonnet-4-5";
let failed = false;
let Anthropic = null;
let client = null;

function line(status, name, detail) {
  if (status === "FAIL") failed = true;
  const text = String(detail ?? "").replace(/\s+/g, " ").slice(0, 300);
  console.log(`${status.padEnd(4)} ${name.padEnd(12)} ${text}`.trimEnd());
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function check(name, fn) {
  if (client === null && name !== "import") {
    line("FAIL", name, "not run: import failed");
    return;
  }
  try {
    line("ok", name, await fn());
  } catch (err) {
    line("FAIL", name, `${err?.constructor?.name ?? "Error"}: ${err?.message ?? err}`);
    if (process.env.ECOSYSTEM_TRACEBACK) console.error(err);
  }
}

await check("import", async () => {
  const mod = await import("@anthropic-ai/sdk");
  Anthropic = mod.default;
  client = new Anthropic({ maxRetries: 0 });
  return `@anthropic-ai/sdk ${mod.VERSION ?? ""}`.trim();
});

await check("stream_text", async () => {
  const pieces = [];
  const stream = client.messages
    .stream({ model: MODEL, max_tokens: 64, messages: [{ role: "user", content: "Count to 5" }] })
    .on("text", (text) => pieces.push(text));
  const message = await stream.finalMessage();
  expect(pieces.join("") === "1, 2, 3, 4, 5.", `streamed text: ${JSON.stringify(pieces.join(""))}`);
  expect(pieces.length > 1, `expected several text events, got ${pieces.length}`);
  expect(message.stop_reason === "end_turn", `stop_reason: ${message.stop_reason}`);
  expect(message.usage.output_tokens > 0 && message.usage.input_tokens > 0, "usage missing");
  return `${pieces.length} text events, stop=${message.stop_reason}`;
});

const weatherTool = {
  name: "get_weather",
  description: "Get the current weather in a city.",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

await check("stream_tools", async () => {
  let jsonEvents = 0;
  const stream = client.messages
    .stream({
      model: MODEL,
      max_tokens: 256,
      tools: [weatherTool],
      messages: [{ role: "user", content: "What's the weather in Paris?" }],
    })
    .on("inputJson", () => jsonEvents++);
  const message = await stream.finalMessage();
  const uses = message.content.filter((b) => b.type === "tool_use");
  expect(uses.length === 1 && uses[0].name === "get_weather", `tool_use blocks: ${JSON.stringify(uses)}`);
  expect(typeof uses[0].input.city === "string", `input: ${JSON.stringify(uses[0].input)}`);
  expect(message.stop_reason === "tool_use", `stop_reason: ${message.stop_reason}`);
  expect(jsonEvents > 0, "no inputJson events");
  // Answer the call; the emulator acknowledges the result.
  const final = await client.messages.stream({
    model: MODEL,
    max_tokens: 256,
    tools: [weatherTool],
    messages: [
      { role: "user", content: "What's the weather in Paris?" },
      { role: "assistant", content: message.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: uses[0].id, content: "18C and sunny" }] },
    ],
  }).finalText();
  expect(final.includes("get_weather tool returned"), `final text: ${JSON.stringify(final)}`);
  return `get_weather(${JSON.stringify(uses[0].input)}) in ${jsonEvents} inputJson events`;
});

await check("stream_thinking", async () => {
  let thinking = "";
  let signature = "";
  const stream = client.messages
    .stream({
      model: MODEL,
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [{ role: "user", content: "Say exactly: thought through" }],
    })
    .on("thinking", (delta) => (thinking += delta))
    .on("signature", (sig) => (signature = sig));
  const message = await stream.finalMessage();
  expect(message.content[0]?.type === "thinking", `first block: ${message.content[0]?.type}`);
  expect(thinking.length > 0 && thinking === message.content[0].thinking, "thinking text differs from the block");
  expect(signature.length > 0 && signature === message.content[0].signature, "signature missing");
  const text = message.content.filter((b) => b.type === "text").map((b) => b.text).join("");
  expect(text === "thought through", `text: ${JSON.stringify(text)}`);
  return `${thinking.length} thinking chars, signature, then text`;
});

await check("bad_request", async () => {
  const seen = [];
  const attempts = [
    // A request the emulator rejects, as the API does: thinking budget below 1024.
    () => client.messages.create({
      model: MODEL,
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 10 },
      messages: [{ role: "user", content: "Hi" }],
    }),
    // The same error forced by the fault header, on a stream.
    () => client.messages
      .stream(
        { model: MODEL, max_tokens: 64, messages: [{ role: "user", content: "Hi" }] },
        { headers: { "x-emulator-fault": "status=400;message=ecosystem fault" } },
      )
      .finalMessage(),
  ];
  for (const attempt of attempts) {
    try {
      await attempt();
    } catch (err) {
      expect(err instanceof Anthropic.BadRequestError, `got ${err?.constructor?.name}: ${err?.message}`);
      expect(err.status === 400, `status ${err.status}`);
      expect(err.error?.error?.type === "invalid_request_error", `error body: ${JSON.stringify(err.error)}`);
      seen.push(err.error.error.message);
      continue;
    }
    throw new Error("the request succeeded; expected a 400");
  }
  return `BadRequestError x2: ${JSON.stringify(seen[0])}`;
});

await check("count_tokens", async () => {
  const params = {
    model: MODEL,
    tools: [weatherTool],
    system: "You are terse.",
    messages: [{ role: "user", content: "Tell me about Paris." }],
  };
  const counted = await client.messages.countTokens(params);
  const message = await client.messages.create({ ...params, max_tokens: 16 });
  expect(counted.input_tokens > 0, `input_tokens: ${counted.input_tokens}`);
  expect(
    counted.input_tokens === message.usage.input_tokens,
    `count_tokens ${counted.input_tokens} vs usage ${message.usage.input_tokens}`,
  );
  return `input_tokens=${counted.input_tokens}, same as the message's usage`;
});

process.exit(failed ? 1 : 0);
