// Steps of a UI test: a failure names the step it happened in (the harness adds the screenshot).

/** Runs `body`; if it throws, the error's message starts with `[name]`. */
export async function step(name, body) {
  try {
    return await body();
  } catch (err) {
    err.message = `[${name}] ${err.message}`;
    throw err;
  }
}
