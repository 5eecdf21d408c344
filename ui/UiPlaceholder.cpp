namespace Natter { void uiPlaceholder() {} }
