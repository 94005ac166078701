#!/usr/bin/env node
'use strict';
/*
 * A local Telegram Bot API for Linli's end-to-end tests: telegram-test-api, with a thin harness.
 *
 * The emulator keeps its own storage, counters, events and client routes; this harness puts a few
 * routes in front of its express app where its answers differ from the real Bot API, and wraps its
 * formatUpdate:
 *   - getMe gains is_bot (python-telegram-bot requires it) and a username;
 *   - sendMessage answers with `date` in seconds and the real chat (group or private), quotes
 *     `reply_parameters`, and refuses unknown chats, blocked users and users who never /start-ed;
 *   - getUpdates honours `offset` (an update is dropped only once confirmed), `limit` and long-poll
 *     `timeout`, like the real server, so a bot that crashes before confirming gets it again;
 *   - callback queries carry `chat_instance` and the card they belong to;
 *   - editMessageText/ReplyMarkup return the edited message and say "message is not modified";
 *   - setMyCommands, getMyCommands, getChat, sendPhoto, sendDocument, sendChatAction work;
 *   - webhooks get the secret header and are retried until the bot answers 2xx.
 *
 * Test-only routes under /e2e/ let pytest act as users and read what the bot said:
 *   POST /e2e/message   {token, chat:{id,type,title}, from:{id,first_name,...}, text, reply_to, extra}
 *   POST /e2e/update    {token, type:'edited_message'|'channel_post'|..., message}  (raw update kinds)
 *   POST /e2e/callback  {token, chat_id, message_id, from, data}
 *   POST /e2e/redeliver {token, update_id}        the same update again, under a new update_id
 *   POST /e2e/fail      {token, method, count, status, description, retry_after}   inject Bot API errors
 *   POST /e2e/block     {user_id, blocked}
 *   GET  /e2e/sent?token=&chat_id=    bot messages (current state plus edit history) and the op log
 *   GET  /e2e/answers?token=          callback query answers (toasts)
 *   GET  /e2e/state?token=            commands, webhook, unconfirmed updates, injected failures left
 *
 * Usage: node telegram_server.js [--port N] [--host 127.0.0.1] [--username LinliTestBot]
 * Prints one line `READY {"port":N,...}` on stdout once listening.
 */

const express = require('express');
const net = require('net');
const axios = require('axios');
const TelegramServer = require('telegram-test-api');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const HOST = args.host || '127.0.0.1';
const BOT_USERNAME = args.username || 'LinliTestBot';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const key = (chatId, messageId) => `${Number(chatId)}:${Number(messageId)}`;

function freePort(host) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function parseJson(value) {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (_) {
    return value;
  }
}

/** Request parameters from query, JSON, urlencoded or (crudely parsed) multipart bodies. */
function params(req) {
  let body = req.body || {};
  if (Buffer.isBuffer(body)) body = parseMultipart(req, body);
  return { ...req.query, ...body };
}

function parseMultipart(req, raw) {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] || '');
  if (!match) return {};
  const boundary = `--${match[1] || match[2]}`;
  const fields = {};
  for (const part of raw.toString('latin1').split(boundary)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /name="([^"]+)"/i.exec(head);
    if (!name) continue;
    const file = /filename="([^"]*)"/i.exec(head);
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    fields[name[1]] = file
      ? { filename: file[1], size: Buffer.byteLength(value, 'latin1') }
      : Buffer.from(value, 'latin1').toString('utf8');
  }
  return fields;
}

/** Entities the real server would attach: a leading bot_command and @mentions (UTF-16 offsets). */
function entitiesOf(text) {
  const entities = [];
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  const mention = /(^|[^A-Za-z0-9_/])(@[A-Za-z0-9_]{5,32})/g;
  let found;
  while ((found = mention.exec(text)) !== null) {
    const offset = found.index + found[1].length;
    if (command && offset < command[0].length) continue;
    entities.push({ type: 'mention', offset, length: found[2].length });
  }
  return entities;
}

function apiError(res, status, description, parameters) {
  const body = { ok: false, error_code: status, description };
  if (parameters) body.parameters = parameters;
  res.status(status).json(body);
}

async function main() {
  const port = Number(args.port) || (await freePort(HOST));
  const server = new TelegramServer({ port, host: HOST, storeTimeout: 24 * 3600 });
  const emulatorApp = server.webServer;

  const chats = new Map(); // chat id -> Chat
  const messages = new Map(); // "chat:message" -> Message (user and bot), current state
  const history = new Map(); // "chat:message" -> [{op, text, buttons, at}] for bot messages
  const botLog = []; // every bot send/edit/photo, in order
  const answers = []; // answerCallbackQuery calls
  const callbacks = new Map(); // callback id -> {answered}
  const commands = {}; // token -> {language_code|'': commands}
  const webhooks = {}; // token -> {url, secret_token}
  const started = new Set(); // user ids that opened a private chat with the bot
  const blocked = new Set();
  const failures = []; // injected errors [{method, count, status, description, retry_after}]

  const botUser = (token) => ({
    id: Number(String(token).split(':')[0]) || 666,
    is_bot: true,
    first_name: 'Linli 邻里',
    username: BOT_USERNAME,
  });

  // -- the emulator's own update formatting, made complete ------------------------------------
  const formatUpdate = TelegramServer.formatUpdate;
  TelegramServer.formatUpdate = (update) => {
    if (update.message && update.message.updateType) {
      const { updateType, botToken, ...message } = update.message;
      return { update_id: update.updateId, [updateType]: message };
    }
    const formatted = formatUpdate(update);
    if (formatted.callback_query) {
      const cb = formatted.callback_query;
      const chat = cb.message && cb.message.chat;
      cb.chat_instance = String(chat ? chat.id : cb.from.id);
      if (cb.message) cb.message.date = cb.message.date > 1e11 ? Math.floor(cb.message.date / 1000) : cb.message.date;
    } else if (formatted.message) {
      delete formatted.message.botToken;
      if (formatted.message.date > 1e11) formatted.message.date = Math.floor(formatted.message.date / 1000);
      if (!formatted.message.from.is_bot) formatted.message.from.is_bot = false;
    }
    return formatted;
  };

  // -- webhooks: the real server sends the secret and retries until the bot says 2xx ----------
  const webhookQueues = {};
  const originalAddUserUpdate = server.addUserUpdate.bind(server);
  server.addUserUpdate = async (update) => {
    if (!webhooks[update.botToken]) return originalAddUserUpdate(update);
    server.storage.userMessages.push(update);
    server.updateId++;
    (webhookQueues[update.botToken] = webhookQueues[update.botToken] || []).push(update);
    deliverWebhooks(update.botToken);
    return undefined;
  };
  const delivering = new Set();
  async function deliverWebhooks(token) {
    if (delivering.has(token)) return;
    delivering.add(token);
    try {
      const queue = webhookQueues[token];
      while (queue.length && webhooks[token]) {
        const hook = webhooks[token];
        const update = queue[0];
        try {
          const headers = hook.secret_token ? { 'X-Telegram-Bot-Api-Secret-Token': hook.secret_token } : {};
          const resp = await axios.post(hook.url, TelegramServer.formatUpdate(update), {
            headers,
            timeout: 60000,
            validateStatus: () => true,
          });
          if (resp.status >= 200 && resp.status < 300) {
            update.isRead = true;
            update.confirmed = true;
            queue.shift();
            continue;
          }
        } catch (_) {
          // connection refused or reset: the bot is down; try again shortly
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      delivering.delete(token);
    }
  }

  // -- the harness app, in front of the emulator's ------------------------------------------
  const app = express();
  app.use(express.json({ limit: '20mb' }));
  app.use(express.urlencoded({ extended: true, limit: '20mb' }));
  app.use(express.raw({ type: 'multipart/form-data', limit: '20mb' }));

  // injected failures, for any bot method
  app.all('/bot:token/:method', (req, res, next) => {
    const i = failures.findIndex((f) => (f.method === req.params.method || f.method === '*')
      && (!f.token || f.token === req.params.token));
    if (i < 0) return next();
    const f = failures[i];
    if (--f.count <= 0) failures.splice(i, 1);
    if (f.status === 429) {
      return apiError(res, 429, `Too Many Requests: retry after ${f.retry_after || 1}`, {
        retry_after: f.retry_after || 1,
      });
    }
    return apiError(res, f.status || 502, f.description || 'Bad Gateway');
  });

  app.all('/bot:token/getMe', (req, res) => res.json({ ok: true, result: {
    ...botUser(req.params.token),
    can_join_groups: true,
    can_read_all_group_messages: true,
    supports_inline_queries: false,
  } }));

  app.all('/bot:token/getUpdates', (req, res) => {
    const token = req.params.token;
    if (webhooks[token]) {
      return apiError(res, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const p = params(req);
    const offset = Number(p.offset) || 0;
    const limit = Math.min(Number(p.limit) || 100, 100);
    const timeout = Math.max(0, Number(p.timeout) || 0);
    for (const u of server.storage.userMessages) {
      if (u.botToken === token && offset > 0 && u.updateId < offset) u.confirmed = true;
    }
    const pending = () => server.storage.userMessages
      .filter((u) => u.botToken === token && !u.confirmed && u.updateId >= offset)
      .sort((a, b) => a.updateId - b.updateId);
    const answer = () => {
      const result = pending().slice(0, limit).map((u) => {
        u.isRead = true;
        return TelegramServer.formatUpdate(u);
      });
      res.json({ ok: true, result });
    };
    if (pending().length || timeout === 0) return answer();
    const events = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'];
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      events.forEach((e) => server.off(e, onEvent));
      if (!res.writableEnded && !res.destroyed) answer();
    };
    const onEvent = () => { if (pending().length) finish(); };
    const timer = setTimeout(finish, timeout * 1000);
    events.forEach((e) => server.on(e, onEvent));
    res.on('close', () => { // the bot hung up (stopped or crashed): keep its updates for the next poll
      finished = true;
      clearTimeout(timer);
      events.forEach((e) => server.off(e, onEvent));
    });
    return undefined;
  });

  /** The chat a bot message goes to, or an error the real server would give. */
  function targetChat(chatId) {
    const id = Number(chatId);
    if (!Number.isFinite(id)) return { error: [400, 'Bad Request: chat not found'] };
    if (id > 0 && blocked.has(id)) return { error: [403, 'Forbidden: bot was blocked by the user'] };
    const chat = chats.get(id);
    if (chat && chat.kicked) return { error: [403, 'Forbidden: bot was kicked from the group chat'] };
    if (chat && chat.migrated_to) {
      return { error: [400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: chat.migrated_to }] };
    }
    if (id > 0 && !started.has(id)) return { error: [403, "Forbidden: bot can't initiate conversation with a user"] };
    if (!chat) return { error: [400, 'Bad Request: chat not found'] };
    return { chat };
  }

  function buttonsOf(markup) {
    const m = parseJson(markup);
    if (!m || !m.inline_keyboard) return [];
    return m.inline_keyboard.flat().map((b) => ({ text: b.text, callback_data: b.callback_data }));
  }

  function recordBotMessage(token, op, message) {
    const k = key(message.chat.id, message.message_id);
    messages.set(k, message);
    const entry = {
      op,
      token,
      chat_id: message.chat.id,
      message_id: message.message_id,
      text: message.text !== undefined ? message.text : message.caption || '',
      buttons: buttonsOf(message.reply_markup),
      reply_to: message.reply_to_message ? message.reply_to_message.message_id : null,
      at: Date.now() / 1000,
    };
    if (!history.has(k)) history.set(k, []);
    history.get(k).push(entry);
    botLog.push(entry);
  }

  function sendLike(method, build) {
    app.all(`/bot:token/${method}`, (req, res) => {
      const token = req.params.token;
      const p = params(req);
      const target = targetChat(p.chat_id);
      if (target.error) return apiError(res, ...target.error);
      if (method === 'sendMessage' && !String(p.text || '').trim()) return apiError(res, 400, 'Bad Request: message text is empty');
      const reply = parseJson(p.reply_parameters) || {};
      const replyId = Number(reply.message_id || p.reply_to_message_id) || null;
      const allowMissing = reply.allow_sending_without_reply ?? parseJson(p.allow_sending_without_reply) ?? false;
      const quoted = replyId ? messages.get(key(target.chat.id, replyId)) : undefined;
      if (replyId && !quoted && !allowMissing) return apiError(res, 400, 'Bad Request: message to be replied not found');
      const markup = parseJson(p.reply_markup);
      // Let the emulator allocate the id and keep its own record (its client API reads it).
      const emulated = server.addBotMessage({ ...p, chat_id: target.chat.id }, token);
      const message = {
        message_id: emulated.message_id,
        from: botUser(token),
        chat: target.chat,
        date: nowSeconds(),
        ...build(p),
      };
      if (quoted) message.reply_to_message = quoted;
      if (markup && markup.inline_keyboard) message.reply_markup = markup;
      recordBotMessage(token, method, message);
      return res.json({ ok: true, result: message });
    });
  }
  sendLike('sendMessage', (p) => ({ text: String(p.text) }));
  sendLike('sendPhoto', (p) => ({
    photo: [{ file_id: `photo-${Date.now()}`, file_unique_id: `u${Date.now()}`, width: 800, height: 600, file_size: (p.photo && p.photo.size) || 1 }],
    ...(p.caption ? { caption: String(p.caption) } : {}),
  }));
  sendLike('sendDocument', (p) => ({
    document: { file_id: `doc-${Date.now()}`, file_unique_id: `d${Date.now()}`, file_name: (p.document && p.document.filename) || 'file' },
    ...(p.caption ? { caption: String(p.caption) } : {}),
  }));

  function editLike(method) {
    app.all(`/bot:token/${method}`, (req, res) => {
      const token = req.params.token;
      const p = params(req);
      const target = targetChat(p.chat_id);
      if (target.error) return apiError(res, ...target.error);
      const k = key(target.chat.id, p.message_id);
      const current = messages.get(k);
      if (!current || !current.from.is_bot) return apiError(res, 400, 'Bad Request: message to edit not found');
      const markup = parseJson(p.reply_markup);
      const next = { ...current };
      if (method === 'editMessageText') next.text = String(p.text);
      if (markup && markup.inline_keyboard) next.reply_markup = markup;
      else delete next.reply_markup;
      const same = next.text === current.text
        && JSON.stringify(next.reply_markup || null) === JSON.stringify(current.reply_markup || null);
      if (same) {
        return apiError(res, 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      next.edit_date = nowSeconds();
      if (method === 'editMessageText') server.editMessageText({ ...p, chat_id: target.chat.id });
      else server.editMessageReplyMarkup({ ...p, chat_id: target.chat.id });
      recordBotMessage(token, method, next);
      return res.json({ ok: true, result: next });
    });
  }
  editLike('editMessageText');
  editLike('editMessageReplyMarkup');

  app.all('/bot:token/answerCallbackQuery', (req, res) => {
    const p = params(req);
    const known = callbacks.get(String(p.callback_query_id));
    if (!known || known.answered) {
      return apiError(res, 400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
    }
    known.answered = true;
    answers.push({
      token: req.params.token,
      callback_query_id: String(p.callback_query_id),
      text: p.text || '',
      show_alert: parseJson(p.show_alert) === true,
      at: Date.now() / 1000,
    });
    return res.json({ ok: true, result: true });
  });

  app.all('/bot:token/setMyCommands', (req, res) => {
    const p = params(req);
    const scope = commands[req.params.token] = commands[req.params.token] || {};
    scope[p.language_code || ''] = parseJson(p.commands) || [];
    res.json({ ok: true, result: true });
  });
  app.all('/bot:token/deleteMyCommands', (req, res) => {
    const p = params(req);
    const scope = commands[req.params.token] || {};
    delete scope[p.language_code || ''];
    res.json({ ok: true, result: true });
  });
  app.all('/bot:token/getMyCommands', (req, res) => {
    const p = params(req);
    res.json({ ok: true, result: (commands[req.params.token] || {})[p.language_code || ''] || [] });
  });
  app.all('/bot:token/getChat', (req, res) => {
    const chat = chats.get(Number(params(req).chat_id));
    if (!chat) return apiError(res, 400, 'Bad Request: chat not found');
    return res.json({ ok: true, result: { ...chat, accent_color_id: 0, max_reaction_count: 11 } });
  });
  app.all('/bot:token/sendChatAction', (req, res) => res.json({ ok: true, result: true }));
  app.all('/bot:token/setWebhook', (req, res) => {
    const p = params(req);
    if (!p.url) {
      delete webhooks[req.params.token];
    } else {
      webhooks[req.params.token] = { url: p.url, secret_token: p.secret_token };
      (webhookQueues[req.params.token] = webhookQueues[req.params.token] || []);
      // updates waiting since before the webhook was set go to it, oldest first
      const waiting = server.storage.userMessages
        .filter((u) => u.botToken === req.params.token && !u.confirmed)
        .sort((a, b) => a.updateId - b.updateId);
      webhookQueues[req.params.token] = waiting;
      deliverWebhooks(req.params.token);
    }
    res.json({ ok: true, result: true, description: 'Webhook was set' });
  });
  app.all('/bot:token/deleteWebhook', (req, res) => {
    delete webhooks[req.params.token];
    res.json({ ok: true, result: true, description: 'Webhook was deleted' });
  });
  app.all('/bot:token/getWebhookInfo', (req, res) => {
    const hook = webhooks[req.params.token];
    const pending = server.storage.userMessages.filter((u) => u.botToken === req.params.token && !u.confirmed).length;
    res.json({ ok: true, result: { url: hook ? hook.url : '', has_custom_certificate: false, pending_update_count: pending } });
  });
  app.all('/bot:token/deleteMessage', (req, res) => {
    const p = params(req);
    const k = key(p.chat_id, p.message_id);
    if (!messages.has(k)) return apiError(res, 400, 'Bad Request: message to delete not found');
    messages.delete(k);
    server.deleteMessage(Number(p.chat_id), Number(p.message_id));
    return res.json({ ok: true, result: true });
  });
  app.all(['/bot:token/close', '/bot:token/logOut'], (req, res) => res.json({ ok: true, result: true }));

  // -- test-only client routes ---------------------------------------------------------------

  function person(from) {
    return {
      id: Number(from.id),
      is_bot: Boolean(from.is_bot),
      first_name: from.first_name || `User${from.id}`,
      ...(from.last_name ? { last_name: from.last_name } : {}),
      ...(from.username ? { username: from.username } : {}),
      ...(from.language_code ? { language_code: from.language_code } : {}),
    };
  }

  function chatOf(spec, from) {
    const id = Number(spec.id);
    if (id > 0 || spec.type === 'private') {
      const chat = { id: Number(from.id), type: 'private', first_name: from.first_name };
      if (from.last_name) chat.last_name = from.last_name;
      if (from.username) chat.username = from.username;
      return chat;
    }
    const known = chats.get(id) || {};
    return {
      id,
      type: spec.type || known.type || (String(id).startsWith('-100') ? 'supergroup' : 'group'),
      title: spec.title || known.title || `Group ${id}`,
    };
  }

  app.post('/e2e/message', (req, res) => {
    const { token, text, reply_to: replyTo, extra, forward } = req.body;
    if (!token) return res.status(400).json({ error: 'token is required' });
    const from = person(req.body.from || { id: 1 });
    const chat = chatOf(req.body.chat || { id: from.id }, from);
    if (chat.type === 'private') {
      if (!from.is_bot) { started.add(from.id); blocked.delete(from.id); }
    }
    const previous = chats.get(chat.id) || {};
    chats.set(chat.id, { ...previous, ...chat });
    const messageId = server.messageId;
    const updateId = server.updateId;
    const message = {
      message_id: messageId,
      from,
      chat,
      date: nowSeconds(),
      ...(extra || {}),
      botToken: token,
    };
    if (text !== undefined && text !== null) {
      message.text = String(text);
      const entities = entitiesOf(message.text);
      if (entities.length) message.entities = entities;
    }
    if (forward) {
      const origin = person(forward);
      message.forward_origin = { type: 'user', sender_user: origin, date: nowSeconds() - 60 };
      message.forward_from = origin;
      message.forward_date = nowSeconds() - 60;
    }
    if (replyTo) {
      const quoted = messages.get(key(chat.id, replyTo));
      if (!quoted) return res.status(400).json({ error: `no message ${replyTo} in chat ${chat.id}` });
      message.reply_to_message = quoted;
    }
    if (extra && extra.new_chat_title) chats.get(chat.id).title = extra.new_chat_title;
    if (extra && extra.migrate_to_chat_id) chats.get(chat.id).migrated_to = Number(extra.migrate_to_chat_id);
    if (extra && extra.left_chat_member && extra.left_chat_member.is_bot) chats.get(chat.id).kicked = true;
    if (extra && extra.new_chat_members && extra.new_chat_members.some((m) => m.is_bot)) chats.get(chat.id).kicked = false;
    const stored = { ...message };
    delete stored.botToken;
    messages.set(key(chat.id, messageId), stored);
    server.addUserMessage(message);
    return res.json({ ok: true, message_id: messageId, update_id: updateId, chat_id: chat.id });
  });

  app.post('/e2e/update', (req, res) => {
    const { token, type } = req.body;
    const from = person(req.body.message.from || { id: 1 });
    const chat = chatOf(req.body.message.chat || { id: from.id }, from);
    const updateId = server.updateId;
    const message = {
      message_id: Number(req.body.message.message_id) || server.messageId,
      date: nowSeconds(),
      ...req.body.message,
      from,
      chat,
      updateType: type,
      botToken: token,
    };
    if (type === 'channel_post' || type === 'edited_channel_post') {
      delete message.from;
      message.sender_chat = chat;
    }
    server.addUserMessage(message);
    return res.json({ ok: true, update_id: updateId });
  });

  app.post('/e2e/callback', (req, res) => {
    const { token, chat_id: chatId, message_id: messageId, data, force } = req.body;
    const card = messages.get(key(chatId, messageId));
    if (!card) return res.status(400).json({ error: `no message ${messageId} in chat ${chatId}` });
    const buttons = buttonsOf(card.reply_markup).map((b) => b.callback_data);
    if (!force && !buttons.includes(data)) {
      return res.status(400).json({ error: `message ${messageId} has no button ${data}; it has ${buttons.join(', ')}` });
    }
    const callbackId = String(server.callbackId);
    const updateId = server.updateId;
    callbacks.set(callbackId, { answered: false });
    server.addUserCallback({ botToken: token, from: person(req.body.from || { id: 1 }), message: card, data });
    return res.json({ ok: true, callback_id: callbackId, update_id: updateId });
  });

  app.post('/e2e/redeliver', (req, res) => {
    const { token, update_id: updateId } = req.body;
    const original = server.storage.userMessages.find((u) => u.botToken === token && u.updateId === Number(updateId));
    if (!original) return res.status(400).json({ error: `no update ${updateId}` });
    const copy = { ...original, updateId: server.updateId, isRead: false, confirmed: false, time: Date.now() };
    server.addUserUpdate(copy);
    server.emit('AddedUserMessage');
    return res.json({ ok: true, update_id: copy.updateId });
  });

  app.post('/e2e/fail', (req, res) => {
    const { token, method, count, status, description, retry_after: retryAfter } = req.body;
    failures.push({
      token, method: method || '*', count: Number(count) || 1, status: Number(status) || 502, description, retry_after: Number(retryAfter) || 1,
    });
    res.json({ ok: true });
  });

  app.post('/e2e/block', (req, res) => {
    const id = Number(req.body.user_id);
    if (req.body.blocked === false) blocked.delete(id);
    else blocked.add(id);
    res.json({ ok: true });
  });

  app.get('/e2e/sent', (req, res) => {
    const { token } = req.query;
    const chatId = req.query.chat_id !== undefined ? Number(req.query.chat_id) : undefined;
    const log = botLog.filter((e) => (!token || e.token === token) && (chatId === undefined || e.chat_id === chatId));
    const ids = [...new Set(log.map((e) => key(e.chat_id, e.message_id)))];
    const current = ids.map((k) => {
      const m = messages.get(k);
      const edits = history.get(k) || [];
      const last = edits[edits.length - 1];
      return {
        chat_id: last.chat_id,
        message_id: last.message_id,
        text: last.text,
        buttons: last.buttons,
        reply_to: edits[0].reply_to,
        edits: edits.length - 1,
        history: edits.map((e) => e.text),
        deleted: !m,
      };
    });
    res.json({ ok: true, messages: current, log });
  });

  app.get('/e2e/answers', (req, res) => {
    const { token } = req.query;
    res.json({ ok: true, answers: answers.filter((a) => !token || a.token === token) });
  });

  app.get('/e2e/state', (req, res) => {
    const { token } = req.query;
    const unconfirmed = server.storage.userMessages.filter((u) => u.botToken === token && !u.confirmed).length;
    const injected = failures.filter((f) => !f.token || f.token === token).reduce((n, f) => n + f.count, 0);
    res.json({ ok: true, commands: commands[token] || {}, webhook: webhooks[token] || null, unconfirmed, failures: injected });
  });

  app.use(emulatorApp); // everything else: the emulator's own bot and client routes
  server.webServer = app;
  await server.start();

  const shutdown = async () => {
    try {
      await Promise.race([server.stop(), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown); // the test process went away
  process.stdin.resume();

  process.stdout.write(`READY ${JSON.stringify({ port, host: HOST, apiURL: `http://${HOST}:${port}`, username: BOT_USERNAME })}\n`);
}

main().catch((err) => {
  process.stderr.write(`telegram_server failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
