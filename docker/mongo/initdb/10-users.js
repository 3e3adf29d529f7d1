// Run by the mongo image on the first start only (empty volume), against a temporary mongod without access control,
// after it made the root user. Least privilege: the gateway may read and write its database and nothing else; the
// backup may only read it.
const fs = require('fs');
const secret = (variable) => fs.readFileSync(process.env[variable], 'utf8').replace(/\r?\n$/, '');
const dbName = process.env.MNIS_DB;
const mnis = db.getSiblingDB(dbName);
mnis.createUser({ user: 'mnis_app', pwd: secret('MNIS_APP_PASSWORD_FILE'), roles: [{ role: 'readWrite', db: dbName }] });
mnis.createUser({ user: 'mnis_backup', pwd: secret('MNIS_BACKUP_PASSWORD_FILE'), roles: [{ role: 'read', db: dbName }] });
print(`users mnis_app (readWrite) and mnis_backup (read) created on ${dbName}`);
