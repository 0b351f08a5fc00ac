import { formatExposure, metadataFacts } from './metadata-facts';

describe('metadataFacts', () => {
  it('gives a row for each thing the file says, as people read it', () => {
    expect(
      metadataFacts({
        make: 'Canon',
        model: 'Canon EOS R5',
        lens: 'RF24-105mm F4 L IS USM',
        takenAt: '2024-06-01T14:03:22',
        offset: '+02:00',
        iso: 400,
        aperture: 4,
        exposureTime: 0.004,
        focalLength: 50,
        orientation: 6,
        width: 8192,
        height: 5464,
        location: { latitude: -33.9249, longitude: -70.6693, altitude: -28 },
      }),
    ).toEqual([
      ['Taken', '2024-06-01 14:03:22 (UTC+02:00)'],
      ['Camera', 'Canon EOS R5'],
      ['Lens', 'RF24-105mm F4 L IS USM'],
      ['Exposure', 'f/4 · 1/250 s · ISO 400 · 50 mm'],
      ['Pixels', '8192 × 5464'],
      ['Location', '33.92490° S, 70.66930° W, -28 m'],
    ]);
  });

  it('says the make and the model when the model does not repeat it', () => {
    expect(metadataFacts({ make: 'NIKON CORPORATION', model: 'NIKON Z 6' })).toEqual([
      ['Camera', 'NIKON CORPORATION NIKON Z 6'],
    ]);
    expect(metadataFacts({ make: 'FUJIFILM', model: 'X-T5' })).toEqual([
      ['Camera', 'FUJIFILM X-T5'],
    ]);
  });

  it('has no rows for a file without metadata', () => {
    expect(metadataFacts({})).toEqual([]);
  });

  it.each([
    [0.004, '1/250 s'],
    [1 / 3, '0.3 s'],
    [2, '2 s'],
  ])('writes a shutter time of %s s as %s', (seconds, text) => {
    expect(formatExposure(seconds)).toBe(text);
  });
});
