// A conversation: the session id and the signed follow-up context of each reply, sent with the next question.

import { ask, askStream } from './ask.js';

function copyOptions(defaults, options) {
  var merged = {};
  var k;
  for (k in defaults) {
    if (Object.prototype.hasOwnProperty.call(defaults, k)) merged[k] = defaults[k];
  }
  for (k in options) {
    if (Object.prototype.hasOwnProperty.call(options, k) && options[k] !== undefined) merged[k] = options[k];
  }
  return merged;
}

/**
 * A conversation: ask()/askStream() like the functions above (options are merged over `defaults`), but the
 * session id and the `context` token of each reply are kept and sent with the next question. The server signs
 * the context; any replica with the same secret can continue from it. A reply with `context: null` (nothing to
 * follow up on) clears it; a failed or aborted request keeps the previous one. reset() starts a new
 * conversation (no session id, no context); a reply to a request made before reset() is not remembered.
 *
 * defaults.sessionId / defaults.context seed the state (e.g. from wx storage);
 * defaults.onChange(state) is called with {sessionId, context} whenever it changes (e.g. to store it).
 */
export function createConversation(defaults) {
  defaults = defaults || {};
  var state = { sessionId: defaults.sessionId || '', context: defaults.context || '' };
  var onChange = typeof defaults.onChange === 'function' ? defaults.onChange : null;
  var generation = 0; // bumped by reset(): replies to older requests belong to a finished conversation
  var base = copyOptions(defaults, {});
  delete base.onChange;

  function snapshot() {
    return { sessionId: state.sessionId, context: state.context };
  }
  function changed() {
    if (onChange) onChange(snapshot());
  }
  function remember(body, asked) {
    if (asked !== generation || !body || typeof body !== 'object') return;
    var before = state.sessionId + '\n' + state.context;
    if (typeof body.session_id === 'string' && body.session_id) state.sessionId = body.session_id;
    if (Object.prototype.hasOwnProperty.call(body, 'context')) {
      state.context = typeof body.context === 'string' ? body.context : '';
    }
    if (state.sessionId + '\n' + state.context !== before) changed();
  }
  function optionsFor(options) {
    var merged = copyOptions(base, options || {});
    merged.sessionId = state.sessionId || undefined;
    merged.context = state.context || undefined;
    return merged;
  }

  return {
    ask: function (options) {
      var asked = generation;
      return ask(optionsFor(options)).then(function (body) {
        remember(body, asked);
        return body;
      });
    },
    askStream: function (options, handlers) {
      handlers = handlers || {};
      var asked = generation;
      var wrapped = copyOptions(handlers, {
        onDone: function (body) {
          remember(body, asked);
          if (typeof handlers.onDone === 'function') handlers.onDone(body);
        }
      });
      return askStream(optionsFor(options), wrapped);
    },
    reset: function () {
      generation += 1;
      var had = state.sessionId || state.context;
      state.sessionId = '';
      state.context = '';
      if (had) changed();
    },
    state: snapshot
  };
}
