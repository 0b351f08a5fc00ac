module.exports = {
  displayName: 'stack-template',
  preset: '../../jest.preset.js',
};
