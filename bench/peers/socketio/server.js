// Socket.IO 4 for the side-by-side benchmark: clients join a room with the event "join"; a backend
// publishes with POST /publish?room=ROOM (the body is JSON), which emits "m" to the room.
// Usage: node server.js PORT   (listens on 127.0.0.1 only)
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 3000);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (req.method !== "POST" || url.pathname !== "/publish") {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let data;
    try {
      data = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch (e) {
      res.writeHead(400).end();
      return;
    }
    io.to(url.searchParams.get("room")).emit("m", data);
    res.writeHead(200, { "content-length": "0" }).end();
  });
});
server.keepAliveTimeout = 120000;

const io = new Server(server, { transports: ["websocket"], perMessageDeflate: false, serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", (room) => socket.join(room));
});

server.listen(port, "127.0.0.1", () => console.log(`socket.io listening on ${port}`));
