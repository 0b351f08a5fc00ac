module.exports = {
  displayName: 'metadata-worker',
  preset: '../../jest.preset.js',
};
