import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { readBoundedBody } from './bounded-body';

describe(readBoundedBody.name, () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const size = Number(request.url?.slice(1));
      if (request.headers['x-chunked']) {
        response.writeHead(200);
        for (let sent = 0; sent < size; sent += 1000) response.write(Buffer.alloc(Math.min(1000, size - sent), 1));
        response.end();
      } else {
        response.writeHead(200, { 'content-length': size }).end(Buffer.alloc(size, 1));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([false, true])('reads up to the limit and stops past it (chunked: %s)', async (chunked) => {
    const get = (size: number) => fetch(`${base}/${size}`, { headers: chunked ? { 'x-chunked': '1' } : {} });
    expect((await readBoundedBody(await get(5000), 5000))?.length).toBe(5000);
    expect(await readBoundedBody(await get(5001), 5000)).toBeUndefined();
  });
});
