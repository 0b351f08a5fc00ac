module.exports = {
  displayName: 'metadata-worker',
  preset: '../../jest.preset.js',
  // Real photos are encoded (AVIF among them) and tagged by ExifTool: give a busy two-core
  // machine room.
  testTimeout: 30_000,
};
