module.exports = {
  displayName: 'processors',
  preset: '../../jest.preset.js',
};
