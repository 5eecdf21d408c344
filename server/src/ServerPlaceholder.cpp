namespace Natter { void serverPlaceholder() {} }
