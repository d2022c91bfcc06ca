// Live updates from {route}/_events (Server-Sent Events). EventSource cannot send the bearer token, so the stream is
// read with fetch. One stream per screen: leaving the screen aborts it; a dropped stream resumes with Last-Event-ID.
(function () {
  "use strict";
  const A = window.LightS3Admin;

  /** Stops the current screen's stream. */
  A.stopLive = function () { if (A.state.live) { A.state.live.abort(); A.state.live = null; } };

  /** Streams `c`'s events (with the list's filter `query`) to `onEvent` while `anchor` is on screen; anchor.dataset.live tells the state. */
  A.follow = function (c, query, onEvent, anchor) {
    A.stopLive();
    const controller = A.state.live = new AbortController();
    let lastId = null;
    const run = async () => {
      while (!controller.signal.aborted && document.body.contains(anchor)) {
        try {
          const response = await A.fetchRaw("GET", c.path + "/_events" + (query ? "?" + query : ""), {
            headers: Object.assign({ Accept: "text/event-stream" }, lastId ? { "Last-Event-ID": lastId } : {}), signal: controller.signal });
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          anchor.dataset.live = "on";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end;
            while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
              const block = buffer.slice(0, end); buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
              let data = "", id = null;
              for (const line of block.split(/\r?\n/)) {
                if (line.startsWith("data:")) data += line.slice(5).replace(/^ /, "");
                else if (line.startsWith("id:")) id = line.slice(3).trim();
              }
              if (id) lastId = id;
              if (data) { try { onEvent(JSON.parse(data)); } catch (e) { console.error(e); } }
            }
          }
        } catch (err) {
          if (controller.signal.aborted) return;
          if (err.status === 401 || err.status === 403 || err.status === 404) { anchor.dataset.live = "off"; return; }
        }
        anchor.dataset.live = "reconnecting";
        await new Promise(r => setTimeout(r, 1000)); // the stream's own retry hint
      }
    };
    run();
  };
})();
