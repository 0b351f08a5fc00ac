import { readdirSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import path from 'node:path';
import { imageView } from '@gallery/message-schema';
import { z } from 'zod';
import { login, makeJpeg, makePng, startTestGallery, until, upload } from './gallery';

const BOUNDARY = 'gallery-crash-boundary';

/**
 * Opens an upload and sends the file part, but not the end of the form: the API has the
 * file (or, with `cutAt`, only its first bytes) and waits for the rest.
 */
function startUpload(baseUrl: string, cookie: string, file: Buffer, cutAt?: number): ClientRequest {
  const req = request(`${baseUrl}/api/images`, {
    method: 'POST',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
  req.on('error', () => undefined); // the API is killed under it
  req.write(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n` +
      'Content-Type: image/jpeg\r\n\r\n',
  );
  if (cutAt === undefined) {
    req.write(file);
    // The file part ends where the next part begins; the name field never comes.
    req.write(`\r\n--${BOUNDARY}\r\n`);
  } else {
    req.write(file.subarray(0, cutAt));
  }
  return req;
}

const filesIn = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

describe('the API killed in the middle of uploads', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;

  beforeAll(async () => {
    gallery = await startTestGallery();
  });
  afterAll(async () => {
    await gallery?.stop();
  });

  it('leaves no object without its row once the restarted API has swept, and keeps every acknowledged upload', async () => {
    // prepare: one acknowledged upload, one whose file is stored but whose form never
    // ends, one cut off in the middle of its file
    const cookie = await login(gallery.baseUrl);
    const objects = path.join(gallery.dataDir, 'objects');
    const acknowledged = await upload(gallery.baseUrl, cookie, 'kept', await makePng(), 'k.png');
    expect(acknowledged.status).toBe(201);
    const photo = await makeJpeg(2000, 1500);
    const stored = startUpload(gallery.baseUrl, cookie, photo);
    await until(
      () => (filesIn(path.join(objects, 'originals')).length === 2 ? true : undefined),
      'the unfinished upload to store its file',
    );
    const cut = startUpload(gallery.baseUrl, cookie, photo, photo.length >> 1);
    await until(
      () => (filesIn(path.join(objects, '.tmp')).length > 0 ? true : undefined),
      'the cut upload to be under way',
    );

    // act: SIGKILL, then a restart whose sweep takes anything a few moments old
    await gallery.apps.api.stop('SIGKILL');
    stored.destroy();
    cut.destroy();
    await gallery.restartApi({ ORPHAN_SWEEP_GRACE_MINUTES: '0.001' });

    // assess: the store holds exactly the acknowledged image's objects, nothing half-way
    await until(
      () =>
        filesIn(path.join(objects, 'originals')).length === 1 &&
        filesIn(path.join(objects, '.tmp')).length === 0
          ? true
          : undefined,
      'the sweep to remove the orphans',
    );
    expect(filesIn(path.join(objects, 'originals'))).toEqual([acknowledged.body.id]);
    const list = await fetch(`${gallery.baseUrl}/api/images`, { headers: { cookie } });
    const { items } = z.object({ items: z.array(imageView) }).parse(await list.json());
    expect(items.map((image) => image.id)).toEqual([acknowledged.body.id]);
    const original = await fetch(`${gallery.baseUrl}/api/images/${acknowledged.body.id}/original`, {
      headers: { cookie },
    });
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).length).toBe(acknowledged.body.size);
    const removed = gallery.logs.filter((line) => line.includes('orphan object removed'));
    expect(removed).toHaveLength(1);
    expect(gallery.logs.some((line) => line.includes('incomplete puts removed'))).toBe(true);
  });
});
