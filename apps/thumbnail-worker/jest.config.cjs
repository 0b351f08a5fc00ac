module.exports = {
  displayName: 'thumbnail-worker',
  preset: '../../jest.preset.js',
};
