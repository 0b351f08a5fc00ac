module.exports = {
  displayName: 'tags-worker',
  preset: '../../jest.preset.js',
};
