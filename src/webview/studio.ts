// The Studio webview front-end. Built for the browser; talks to the extension only through panels/protocol.ts.
export {};
