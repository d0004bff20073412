// Starts the CAP server on a free loopback port with the people of a JSON
// file (an array of rows as the People entity names them), and prints the
// address it listens on as one line, "listening http://127.0.0.1:PORT", for
// the Go harness (internal/odatatest) to read. It runs until its stdin
// closes.
//   node server.js people.json
'use strict'
const fs = require('fs')
const http = require('http')
const path = require('path')
const express = require('express')
const cds = require('@sap/cds')
const cov2ap = require('@cap-js-community/odata-v2-adapter')

// The Go harness holds stdin open while it wants the server: its end (the
// test process ended, however it ended) ends the server.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()

async function main () {
  const file = process.argv[2]
  if (!file) throw new Error('usage: node server.js people.json')
  const people = JSON.parse(fs.readFileSync(file, 'utf8'))
  cds.root = __dirname
  const app = express()
  // Loopback only: express's app.listen would listen on every interface.
  app.listen = (port) => http.createServer(app).listen(port, '127.0.0.1')
  cds.on('bootstrap', (a) => a.use(cov2ap({ path: 'odata/v2', targetPath: 'odata/v4' })))
  cds.on('served', async () => {
    await INSERT.into('cezanne.People').entries(people)
  })
  const server = await cds.server({ app, port: 0, in_memory: true, from: [path.join(__dirname, 'srv')], index: false, favicon: false })
  server.on('listening', () => {
    const url = 'http://127.0.0.1:' + server.address().port
    // cds serve emits this; the v2 adapter binds its routes on it and
    // proxies to the v4 service at url.
    cds.emit('listening', { server, url })
    console.log('listening ' + url)
  })
  server.on('error', (err) => { console.error(err); process.exit(1) })
}

main().catch((err) => { console.error(err); process.exit(1) })
