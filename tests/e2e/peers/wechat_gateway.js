#!/usr/bin/env node
/**
 * A local WeChat for Linli's end-to-end tests: a wechaty puppet service (gRPC)
 * over a mock puppet, driven through a small HTTP control API.
 *
 *   node wechat_gateway.js --port 8788 --control-port 8789 --token insecure_linli \
 *        --state /tmp/x/wechat-state.json [--bot-id linli_bot] [--bot-name Linli]
 *
 * The bot under test connects to 127.0.0.1:<port> with python-wechaty, like it
 * would to a real puppet service.  Tests use the control API (JSON over HTTP) to
 * create people and rooms, make people speak (in rooms or privately, optionally
 * quoting or mentioning), and read what the bot said.  Contacts, rooms and the
 * log of bot messages are kept in --state, so a killed gateway comes back with
 * the same WeChat world (a "restart").
 *
 * When ready it prints one line to stdout: `READY {"port":…,"controlPort":…}`.
 *
 * Control API (all bodies and answers are JSON):
 *   GET  /health                      {ok, loggedIn, streaming, streams, botId, grpc}
 *                                     (streams counts event streams ever opened: a new bot connection)
 *   POST /contacts {id?, name}        {id}
 *   POST /rooms {id?, topic, members, aliases?}   {id}   (the bot is always a member)
 *   POST /say {from, room? | to?, text?, file?, mentionBot?, mentions?, quote?: {name?, text}}   {id}
 *        quote renders the text the way padlocal/wechat4u deliver a 引用 reply.
 *   POST /say {from, room? | to?, kind: image|voice|video|file|sticker|system}   {id}   (media, no text)
 *   POST /recall {from, room? | to?, messageId}   {id}
 *   POST /join {room, members, by?}   POST /leave {room, members, by?}   POST /topic {room, topic, by?}
 *   GET  /sent?since=N                {messages: [{seq, id, text, room, to, at}], next}
 *   POST /grpc/stop   POST /grpc/start   (drop and restore the gRPC side in-process)
 *   POST /crash-on-next-send          the next message the bot sends kills this process
 *                                     (exit code 75) before it is delivered
 */
'use strict'

const fs = require('fs')
const http = require('http')
const crypto = require('crypto')

const { PuppetServer } = require('wechaty-puppet-service')
const { PuppetMock, mock } = require('wechaty-puppet-mock')
const PUPPET = require('wechaty-puppet')
const { FileBox } = require('file-box')

const QUOTE_SEPARATOR = '- - - - - - - - - - - - - - -'
const AT_SEPARATOR = '\u2005'

function parseArgs (argv) {
  const args = {
    port: 8788,
    controlPort: 0,
    token: 'insecure_linli',
    state: '',
    botId: 'linli_bot',
    botName: 'Linli',
  }
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    if (!(key in args)) throw new Error('unknown option ' + argv[i])
    args[key] = typeof args[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1]
  }
  return args
}

const args = parseArgs(process.argv.slice(2))

/** Everything that must survive a restart of this process. */
const state = {
  contacts: [],
  rooms: [],
  aliases: {},   // roomId -> {contactId: alias}
  sent: [],
  seq: 0,
}

function loadState () {
  if (!args.state || !fs.existsSync(args.state)) return
  Object.assign(state, JSON.parse(fs.readFileSync(args.state, 'utf8')))
}

function saveState () {
  if (!args.state) return
  const tmp = args.state + '.tmp'
  fs.writeFileSync(tmp, JSON.stringify(state))
  fs.renameSync(tmp, args.state)
}

const mocker = new mock.Mocker()
const puppet = new PuppetMock({ mocker })

function contactPayload (id, name) {
  return {
    id,
    name,
    alias: undefined,
    avatar: '',
    friend: true,
    gender: PUPPET.types.ContactGender.Unknown,
    phone: [],
    type: PUPPET.types.Contact.Individual,
  }
}

function ensureContact (payload) {
  if (!mocker.cacheContactPayload.has(payload.id)) mocker.createContact(payload)
  return mocker.ContactMock.load(payload.id)
}

function ensureRoom (payload) {
  if (!mocker.cacheRoomPayload.has(payload.id)) mocker.createRoom(payload)
  return mocker.RoomMock.load(payload.id)
}

const bot = ensureContact(contactPayload(args.botId, args.botName))

loadState()
for (const payload of state.contacts) ensureContact(payload)
for (const payload of state.rooms) ensureRoom(payload)

/** The bot logs in whenever the puppet (re)starts, as a scanned-in account would. */
mocker.use(m => {
  if (!puppet.isLoggedIn) m.login(bot)
  return () => {}
})

/** Room aliases (群昵称) are not modelled by the mock: serve them from our state. */
const roomMemberRawPayload = puppet.roomMemberRawPayload.bind(puppet)
puppet.roomMemberRawPayload = async (roomId, contactId) => {
  const payload = await roomMemberRawPayload(roomId, contactId)
  const alias = (state.aliases[roomId] || {})[contactId]
  return alias ? { ...payload, roomAlias: alias } : payload
}

/** The restart test: the bot's next send kills the gateway before delivery. */
let crashOnNextSend = false
const messageSendText = puppet.messageSendText.bind(puppet)
puppet.messageSendText = async (conversationId, text, mentionIdList) => {
  if (crashOnNextSend) {
    console.error('wechat_gateway: crash-on-next-send: exiting before delivering %j', text)
    process.exit(75)
  }
  return messageSendText(conversationId, text, mentionIdList)
}

/** Count event streams: the puppet service registers one 'message' listener per connected client. */
let streamsOpened = 0
const puppetOn = puppet.on.bind(puppet)
puppet.on = (event, listener) => {
  if (event === 'message' && listener !== recordBotMessage) streamsOpened += 1
  return puppetOn(event, listener)
}

/** Record what the bot says, in order; tests read it back through GET /sent. */
function recordBotMessage ({ messageId }) {
  let payload
  try {
    payload = mocker.messagePayload(messageId)
  } catch (e) {
    return
  }
  if (payload.talkerId !== bot.id) return
  state.seq += 1
  state.sent.push({
    seq: state.seq,
    id: payload.id,
    text: payload.text || '',
    room: payload.roomId || null,
    to: payload.listenerId || null,
    at: payload.timestamp,
  })
  saveState()
}
puppet.on('message', recordBotMessage)

function conversationOf (body) {
  if (body.room) return mocker.RoomMock.load(body.room)
  if (body.to) return mocker.ContactMock.load(body.to)
  throw new Error('say: give room or to')
}

const MEDIA_TYPES = {
  image: PUPPET.types.Message.Image,
  voice: PUPPET.types.Message.Audio,
  video: PUPPET.types.Message.Video,
  file: PUPPET.types.Message.Attachment,
  sticker: PUPPET.types.Message.Emoticon,
  system: PUPPET.types.Message.Unknown,
}

/** A message payload built by hand, for the kinds the mock cannot make by itself. */
function rawPayload (body, type, text) {
  const payload = {
    id: 'raw_' + crypto.randomBytes(8).toString('hex'),
    talkerId: body.from,
    timestamp: Date.now(),
    type,
    text,
  }
  if (body.room) {
    payload.roomId = body.room
    payload.mentionIdList = []
  } else {
    payload.listenerId = body.to || bot.id
  }
  return payload
}

function emitRawMessage (payload) {
  mocker.MessageMock.create(payload)
  puppet.emit('message', { messageId: payload.id })
  return payload.id
}

const handlers = {
  'GET /health': () => ({
    ok: true,
    loggedIn: puppet.isLoggedIn,
    // The event stream manager adds its own 'message' listener next to ours.
    streaming: puppet.listenerCount('message') > 1,
    streams: streamsOpened,
    botId: bot.id,
    grpc: server ? 'up' : 'down',
  }),

  'POST /contacts': body => {
    const payload = contactPayload(body.id || 'wxid_' + crypto.randomBytes(6).toString('hex'), body.name)
    ensureContact(payload)
    state.contacts.push(payload)
    saveState()
    return { id: payload.id }
  },

  'POST /rooms': body => {
    const members = [...new Set([bot.id, ...(body.members || [])])]
    const payload = {
      id: body.id || crypto.randomBytes(6).toString('hex') + '@chatroom',
      topic: body.topic,
      memberIdList: members,
      adminIdList: [],
      avatar: '',
      ownerId: members[1] || bot.id,
    }
    if (!payload.id.includes('@')) throw new Error('room ids need an @ (the mock routes on it)')
    ensureRoom(payload)
    state.rooms.push(payload)
    state.aliases[payload.id] = body.aliases || {}
    saveState()
    return { id: payload.id }
  },

  'POST /say': body => {
    const talker = mocker.ContactMock.load(body.from)
    const conversation = conversationOf(body)
    const mentions = (body.mentions || []).map(id => mocker.ContactMock.load(id))
    let text = body.text || ''
    if (body.mentionBot) {
      mentions.push(bot)
      text = '@' + args.botName + AT_SEPARATOR + text
    }
    if (body.quote) {
      const name = body.quote.name || args.botName
      text = `「${name}：${body.quote.text}」\n${QUOTE_SEPARATOR}\n${text}`
    }
    if (body.kind) {
      // Media as a puppet reports it: a typed message without text (the mock guesses types from names).
      const type = MEDIA_TYPES[body.kind]
      if (type === undefined) throw new Error('say: kind must be one of ' + Object.keys(MEDIA_TYPES).join(', '))
      return { id: emitRawMessage(rawPayload(body, type, undefined)) }
    }
    const before = new Set(mocker.cacheMessagePayload.keys())
    if (body.file) {
      talker.say(FileBox.fromBase64(Buffer.from('linli').toString('base64'), body.file), mentions).to(conversation)
    } else {
      talker.say(text, mentions).to(conversation)
    }
    const id = [...mocker.cacheMessagePayload.keys()].find(k => !before.has(k))
    return { id }
  },

  'POST /recall': body => ({ id: emitRawMessage(rawPayload(body, PUPPET.types.Message.Recalled, body.messageId)) }),

  'POST /join': body => {
    const room = mocker.RoomMock.load(body.room)
    const invitees = body.members.map(id => mocker.ContactMock.load(id))
    room.add(...invitees).by(body.by ? mocker.ContactMock.load(body.by) : bot)
    persistRoom(room)
    return {}
  },

  'POST /leave': body => {
    const room = mocker.RoomMock.load(body.room)
    const leavers = body.members.map(id => mocker.ContactMock.load(id))
    room.remove(...leavers).by(body.by ? mocker.ContactMock.load(body.by) : leavers[0])
    persistRoom(room)
    return {}
  },

  'POST /topic': body => {
    const room = mocker.RoomMock.load(body.room)
    room.topic(body.topic).by(body.by ? mocker.ContactMock.load(body.by) : bot)
    persistRoom(room)
    return {}
  },

  'GET /sent': (_, query) => {
    const since = Number(query.get('since') || 0)
    const messages = state.sent.filter(m => m.seq > since)
    return { messages, next: state.seq }
  },

  'POST /grpc/stop': async () => {
    await stopGrpc()
    return {}
  },

  'POST /grpc/start': async () => {
    await startGrpc()
    return {}
  },

  'POST /crash-on-next-send': () => {
    crashOnNextSend = true
    return {}
  },
}

function persistRoom (room) {
  const index = state.rooms.findIndex(r => r.id === room.id)
  if (index >= 0) state.rooms[index] = room.payload
  saveState()
}

let server = null

async function startGrpc () {
  if (server) return
  server = new PuppetServer({
    puppet,
    endpoint: '0.0.0.0:' + args.port,
    token: args.token,
    tls: { disable: true },
  })
  await server.start()
}

async function stopGrpc () {
  if (!server) return
  const s = server
  server = null
  await s.stop()
  // Drop the puppet state the way a fresh gateway process would have it.
  if (puppet.state.active()) await puppet.stop()
}

function readBody (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      try {
        resolve(raw ? JSON.parse(raw) : {})
      } catch (e) {
        reject(e)
      }
    })
    req.on('error', reject)
  })
}

const control = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost')
  const handler = handlers[req.method + ' ' + url.pathname]
  let status = 200
  let answer
  try {
    if (!handler) {
      status = 404
      answer = { error: 'no such route: ' + req.method + ' ' + url.pathname }
    } else {
      answer = await handler(await readBody(req), url.searchParams)
    }
  } catch (e) {
    status = 400
    answer = { error: String(e && e.message ? e.message : e) }
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(answer))
})

async function main () {
  await startGrpc()
  await new Promise(resolve => control.listen(args.controlPort, '127.0.0.1', resolve))
  const controlPort = control.address().port
  process.stdout.write('READY ' + JSON.stringify({ port: args.port, controlPort }) + '\n')
}

async function shutdown () {
  try {
    await stopGrpc()
  } finally {
    process.exit(0)
  }
}

process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)

main().catch(e => {
  console.error('wechat_gateway: failed to start:', e)
  process.exit(1)
})
