// The mongo service's health check (mongosh FILE). Authenticates as root, initiates the replica set on the first
// run (its one member is mongo:27017, the compose service name, which the gateway's driver resolves on this
// network), and is healthy only once this node is the writable primary of rs0.
const fs = require('fs');
const password = fs.readFileSync(process.env.MONGO_INITDB_ROOT_PASSWORD_FILE, 'utf8').replace(/\r?\n$/, '');
const admin = db.getSiblingDB('admin');
admin.auth(process.env.MONGO_INITDB_ROOT_USERNAME, password);
try {
  rs.status();
} catch (e) {
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] });
}
const hello = admin.hello();
quit(hello.isWritablePrimary && hello.setName === 'rs0' ? 0 : 1);
