import { anImage } from '../test/an-image';
import { UploadError } from './errors';
import { readUploadResponse } from './upload';

describe('readUploadResponse', () => {
  it('returns the created image', () => {
    const image = anImage();

    expect(readUploadResponse(201, JSON.stringify(image))).toEqual(image);
  });

  it("fails with the API's own message", () => {
    const act = () => readUploadResponse(415, JSON.stringify({ message: 'HEIC is not supported' }));

    expect(act).toThrow(UploadError);
    expect(act).toThrow('HEIC is not supported');
  });

  it('fails with the status when the body says nothing useful', () => {
    const error = (() => {
      try {
        readUploadResponse(502, '<html>Bad gateway</html>');
      } catch (caught) {
        return caught as UploadError;
      }
    })();

    expect(error?.message).toBe('Upload failed (502).');
    expect(error?.status).toBe(502);
  });

  it('fails when a success carries no image', () => {
    expect(() => readUploadResponse(201, '{}')).toThrow('not an image');
  });
});
