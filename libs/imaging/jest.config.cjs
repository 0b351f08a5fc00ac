module.exports = {
  displayName: 'imaging',
  preset: '../../jest.preset.js',
};
