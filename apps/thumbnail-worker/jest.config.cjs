module.exports = {
  displayName: 'thumbnail-worker',
  preset: '../../jest.preset.js',
  // Real 12 MP images are made and decoded: give a busy two-core machine room.
  testTimeout: 30_000,
};
